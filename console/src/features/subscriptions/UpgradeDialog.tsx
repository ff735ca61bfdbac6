import { Alert, Button, Group, Modal, NumberInput, Radio, Skeleton, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { readableDescription } from './labels';
import type { Order, Subscription } from './queries';

/**
 * Upgrade (docs/console.md "Subscriptions"): all or part of the licenses move to a product the
 * subscription's product may be upgraded to, priced by days on one order whose lines the dialog
 * shows once the API has placed it.
 */
type Product = components['schemas']['Product'];

const productKey = (id: string) => ['subscriptions', 'upgrade-product', id] as const;
const readProduct = (productId: string) => unwrap(api.GET('/v1/catalog/products/{productId}', { params: { path: { productId } } }));

/** The "Upgrade" action of the subscription page: shown only when the product lists targets. */
export function UpgradeAction({ sub }: { sub: Subscription }) {
  const { t } = useTranslation('subscriptions');
  const [open, setOpen] = useState(false);
  const product = useQuery({ queryKey: productKey(sub.productId), queryFn: () => readProduct(sub.productId), staleTime: 60_000 });
  if (!product.data?.upgradeTargets.length) return null;
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('upgrade.open')}
      </Button>
      {open ? <UpgradeDialog sub={sub} source={product.data} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function useUpgrade(sub: Subscription) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { targetProductId: string; quantity: number; key: string }) =>
      unwrap(
        api.POST('/v1/subscriptions/{subscriptionId}/upgrade', {
          params: { path: { subscriptionId: sub.id }, header: { 'Idempotency-Key': input.key } },
          body: { targetProductId: input.targetProductId, quantity: input.quantity },
        }),
      ),
    // The source and the target changed, and there is a new order: read them again.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

export function UpgradeDialog({ sub, source, onClose }: { sub: Subscription; source: Product; onClose: () => void }) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const targets = useQueries({
    queries: source.upgradeTargets.map((id) => ({ queryKey: productKey(id), queryFn: () => readProduct(id), staleTime: 60_000 })),
  });
  const loaded = targets.flatMap((q) => (q.data && q.data.status === 'active' ? [q.data] : []));
  const [targetId, setTargetId] = useState<string>('');
  const [quantity, setQuantity] = useState<number | string>(sub.quantity);
  const [placed, setPlaced] = useState<Order>();
  // One Idempotency-Key per intent (a target and a count): a retry of the same intent sends it again.
  const intents = useRef(new Map<string, string>());
  const upgrade = useUpgrade(sub);

  const target = loaded.find((p) => p.id === targetId);
  const offer = target?.offers.find((o) => o.term === sub.term && o.billingPeriod === sub.billingPeriod);
  const valid = typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 && quantity <= sub.quantity;
  const canSubmit = !!target && !!offer && valid;

  const submit = () => {
    if (!canSubmit || typeof quantity !== 'number') return;
    const intent = `${targetId}:${quantity}`;
    const key = intents.current.get(intent) ?? newIdempotencyKey();
    intents.current.set(intent, key);
    upgrade.mutate(
      { targetProductId: targetId, quantity, key },
      {
        onSuccess: (order) => {
          setPlaced(order);
          notifications.show({ color: 'green', message: t('upgrade.placed', { number: order.number }) });
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('upgrade.title')} size="lg" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {placed ? (
        <Stack>
          <Alert color="green" role="status">
            {t('upgrade.placed', { number: placed.number })}
          </Alert>
          <Table aria-label={t('upgrade.priceTitle')} withTableBorder>
            <Table.Tbody>
              {placed.lines.map((l, i) => (
                <Table.Tr key={`${l.subscriptionId}-${i}`}>
                  <Table.Td>{t(l.quantity < 0 ? 'upgrade.credit' : 'upgrade.charge', { count: Math.abs(l.quantity), name: l.name })}</Table.Td>
                  <Table.Td ta="right">{f.money(l.total)}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th scope="row">{t('upgrade.net')}</Table.Th>
                <Table.Td ta="right" fw={700}>
                  {f.money(placed.total)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group justify="flex-end">
            <AnchorLink to="/orders/$orderId" params={{ orderId: placed.id }} onClick={onClose}>
              {t('upgrade.track')}
            </AnchorLink>
            <Button variant="default" onClick={onClose}>
              {t('actions.close', { ns: 'common' })}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          noValidate
        >
          <Stack>
            <Text>{t('upgrade.intro', { name: sub.name, date: f.date(sub.currentTermEnd) })}</Text>
            {targets.some((q) => q.isPending) ? (
              <Stack gap="xs" aria-label={t('upgrade.loading')}>
                <Skeleton h={20} />
                <Skeleton h={20} />
              </Stack>
            ) : (
              <Radio.Group label={t('upgrade.target')} description={t('upgrade.targetHint', { name: sub.name })} styles={readableDescription} value={targetId} onChange={setTargetId} required>
                <Stack gap="xs" mt="xs">
                  {loaded.map((p) => (
                    <Radio key={p.id} value={p.id} label={p.name} />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            <NumberInput
              label={t('upgrade.quantity')}
              description={t('upgrade.quantityHint', { count: sub.quantity })}
              styles={readableDescription}
              value={quantity}
              onChange={setQuantity}
              min={1}
              max={sub.quantity}
              allowDecimal={false}
              allowNegative={false}
              required
              error={valid ? undefined : t('field.required', { ns: 'errors' })}
            />
            {valid && typeof quantity === 'number' ? (
              <Alert color="blue" role="status">
                {quantity === sub.quantity
                  ? t('upgrade.allMove', { count: quantity })
                  : t('upgrade.partMove', { count: quantity, left: sub.quantity - quantity, name: sub.name })}
              </Alert>
            ) : null}
            {target ? (
              offer ? (
                <div>
                  <Text fw={600} size="sm">
                    {t('upgrade.priceTitle')}
                  </Text>
                  <Text size="sm">{t('upgrade.priceRule')}</Text>
                  <Text size="sm">{t('upgrade.listPrice', { name: sub.name, price: t(`per.${sub.billingPeriod}`, { price: f.money(sub.unitPrice) }) })}</Text>
                  <Text size="sm">{t('upgrade.listPrice', { name: target.name, price: t(`per.${sub.billingPeriod}`, { price: f.money(offer.price) }) })}</Text>
                </div>
              ) : (
                <Alert color="yellow" role="status">
                  {t('upgrade.noOffer', { name: target.name })}
                </Alert>
              )
            ) : null}
            <ErrorAlert error={upgrade.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('actions.cancel', { ns: 'common' })}
              </Button>
              <Button type="submit" disabled={!canSubmit} loading={upgrade.isPending}>
                {t('upgrade.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
