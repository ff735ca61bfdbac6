import { Alert, Button, Card, Group, Modal, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ifMatch } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { readableDescription, useOfferWords } from './labels';
import { renewalDate, type Subscription } from './queries';

/**
 * Change at renewal (docs/console.md "Subscriptions"): what the next term will be — product, term
 * and billing period, licenses — set in a dialog and removed with a button; the renewals job
 * applies it. The products offered are the subscription's own and those the catalog links to it
 * by `upgradeTargets`, either way (a downgrade is possible at renewal only).
 */
type Product = components['schemas']['Product'];
type ScheduledChangeBody = { quantity?: number; offerId?: string; productId?: string };

const subscriptionKey = (id: string) => ['subscriptions', 'one', id] as const;

/** The catalog's products this subscription may renew as (one page of the catalog, the distributor's list is small). */
function useRenewalProducts(sub: Subscription, enabled: boolean) {
  return useQuery({
    queryKey: ['subscriptions', 'renewal-products', sub.productId],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const page = await unwrap(api.GET('/v1/catalog/products', { params: { query: { limit: 100 } } }));
      const own = page.items.find((p) => p.id === sub.productId);
      return page.items.filter(
        (p) => p.id === sub.productId || (p.status === 'active' && (own?.upgradeTargets.includes(p.id) || p.upgradeTargets.includes(sub.productId))),
      );
    },
  });
}

function useScheduledChange(sub: Subscription) {
  const queryClient = useQueryClient();
  const path = { subscriptionId: sub.id };
  const done = (next: Subscription) => {
    queryClient.setQueryData(subscriptionKey(sub.id), next);
    void queryClient.invalidateQueries({ queryKey: ['subscriptions', 'list'] });
  };
  // A refusal may mean the page is stale (412, 409): read the subscription again.
  const stale = () => void queryClient.invalidateQueries({ queryKey: subscriptionKey(sub.id) });
  const set = useMutation({
    mutationFn: (body: ScheduledChangeBody) => unwrap(api.PUT('/v1/subscriptions/{subscriptionId}/scheduled-change', { params: { path }, headers: ifMatch(sub), body })),
    onSuccess: done,
    onError: stale,
  });
  const drop = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/subscriptions/{subscriptionId}/scheduled-change', { params: { path }, headers: ifMatch(sub) })),
    onSuccess: done,
    onError: stale,
  });
  return { set, drop };
}

export function ScheduledChangeSection({ sub, mayManage }: { sub: Subscription; mayManage: boolean }) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const offerWords = useOfferWords();
  const [open, setOpen] = useState(false);
  const { set, drop } = useScheduledChange(sub);
  const renewable = sub.status === 'active' || sub.status === 'suspended';
  if (!renewable) return null;
  const change = sub.scheduledChange;
  const date = f.date(renewalDate(sub.currentTermEnd));

  const remove = () =>
    drop.mutate(undefined, { onSuccess: () => notifications.show({ color: 'green', message: t('scheduledChange.removed') }) });

  return (
    <Card withBorder component="section" aria-labelledby="sub-scheduled-change">
      <Title order={2} size="h4" id="sub-scheduled-change" mb="sm">
        {t('scheduledChange.title')}
      </Title>
      <Stack gap="sm" align="flex-start">
        {change ? (
          <Text role="status">
            {t('scheduledChange.summary', { date, name: change.productName, offer: offerWords(change), count: change.quantity })}
          </Text>
        ) : (
          <Text>{t('scheduledChange.none', { date })}</Text>
        )}
        {!sub.autoRenew && change ? (
          <Alert color="yellow" role="status">
            {t('scheduledChange.autoRenewOff')}
          </Alert>
        ) : null}
        <ErrorAlert error={drop.error} />
        {mayManage ? (
          <Group>
            <Button variant="default" onClick={() => setOpen(true)}>
              {change ? t('scheduledChange.edit') : t('scheduledChange.open')}
            </Button>
            {change ? (
              <Button variant="outline" color="red.9" onClick={remove} loading={drop.isPending}>
                {t('scheduledChange.remove')}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
      {open ? <ScheduledChangeDialog sub={sub} mutation={set} onClose={() => setOpen(false)} /> : null}
    </Card>
  );
}

function ScheduledChangeDialog({
  sub,
  mutation,
  onClose,
}: {
  sub: Subscription;
  mutation: ReturnType<typeof useScheduledChange>['set'];
  onClose: () => void;
}) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const offerWords = useOfferWords();
  const products = useRenewalProducts(sub, true);
  const current = sub.scheduledChange;
  const [productId, setProductId] = useState<string>(current?.productId ?? sub.productId);
  const [offerId, setOfferId] = useState<string>(current?.offerId ?? sub.offerId);
  const [quantity, setQuantity] = useState<number | string>(current?.quantity ?? sub.quantity);

  const product: Product | undefined = products.data?.find((p) => p.id === productId);
  const offer = product?.offers.find((o) => o.id === offerId);
  const min = Math.max(product?.minQuantity ?? 1, sub.assignedCount, 1);
  const max = product?.maxQuantity ?? 300;
  const validQuantity = typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= min && quantity <= max;
  const canSubmit = !!product && !!offer && validQuantity;

  const chooseProduct = (id: string | null) => {
    if (!id) return;
    setProductId(id);
    const next = products.data?.find((p) => p.id === id);
    // Keep the term and billing period when the product has them.
    const same = next?.offers.find((o) => o.term === (offer?.term ?? sub.term) && o.billingPeriod === (offer?.billingPeriod ?? sub.billingPeriod));
    setOfferId(same?.id ?? next?.offers[0]?.id ?? '');
  };

  const submit = () => {
    if (!canSubmit || typeof quantity !== 'number') return;
    const body: ScheduledChangeBody = { quantity };
    if (offer.id !== sub.offerId) body.offerId = offer.id;
    if (product.id !== sub.productId) body.productId = product.id;
    mutation.mutate(body, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('scheduledChange.saved') });
        onClose();
      },
    });
  };

  return (
    <Modal opened onClose={onClose} title={t('scheduledChange.dialogTitle')} size="lg" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack>
          <Text>{t('scheduledChange.intro', { name: sub.name, date: f.date(renewalDate(sub.currentTermEnd)) })}</Text>
          <ErrorAlert error={products.error} />
          <Select
            label={t('scheduledChange.product')}
            data={(products.data ?? []).map((p) => ({ value: p.id, label: p.id === sub.productId ? t('scheduledChange.sameProduct', { name: p.name }) : p.name }))}
            value={productId}
            onChange={chooseProduct}
            allowDeselect={false}
            disabled={products.isPending}
            required
          />
          <Select
            label={t('scheduledChange.offer')}
            data={(product?.offers ?? []).map((o) => ({ value: o.id, label: `${offerWords(o)} · ${t(`per.${o.billingPeriod}`, { price: f.money(o.price) })}` }))}
            value={offerId}
            onChange={(v) => v && setOfferId(v)}
            allowDeselect={false}
            disabled={!product}
            required
          />
          <NumberInput
            label={t('scheduledChange.quantity')}
            description={t('scheduledChange.quantityHint', { min, max, assigned: sub.assignedCount })}
            styles={readableDescription}
            value={quantity}
            onChange={setQuantity}
            min={min}
            max={max}
            allowDecimal={false}
            allowNegative={false}
            required
            error={validQuantity ? undefined : t('scheduledChange.quantityRange', { min, max })}
          />
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel', { ns: 'common' })}
            </Button>
            <Button type="submit" disabled={!canSubmit} loading={mutation.isPending}>
              {t('scheduledChange.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
