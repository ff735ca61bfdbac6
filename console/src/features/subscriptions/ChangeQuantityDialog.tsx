import { Alert, Button, Group, List, Modal, NumberInput, Radio, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { isOrder, lowerableNow, renewalDate, useChangeQuantity, type Order, type Subscription } from './queries';
import { AnchorLink } from '../../ui/links';
import { readableDescription } from './labels';
import { usePaymentMethods } from '../billing/queries';
import { paymentLabel } from '../shop/PaymentStep';

type Verdict =
  | { kind: 'invalid' }
  | { kind: 'same' }
  | { kind: 'belowAssigned' }
  | { kind: 'raise'; count: number }
  | { kind: 'lower'; count: number; nowAllowed: boolean };

/** What a new total means under the NCE rule, before anything is sent. */
function verdictOf(sub: Subscription, quantity: number | string): Verdict {
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) return { kind: 'invalid' };
  if (quantity < sub.assignedCount) return { kind: 'belowAssigned' };
  const delta = quantity - sub.quantity;
  if (delta === 0) return { kind: 'same' };
  if (delta > 0) return { kind: 'raise', count: delta };
  return { kind: 'lower', count: -delta, nowAllowed: -delta <= lowerableNow(sub) };
}

/** The refusal's numbers (its details), in the user's language. */
function RefusalDetails({ error }: { error: unknown }) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  if (!(error instanceof ApiError)) return null;
  const d = error.details[0] ?? {};
  if (error.code === 'cancellation_window_closed') {
    return <Text size="sm">{t('change.refusedWindow', { lowerable: Number(d.lowerableNow ?? 0), date: f.date(typeof d.nextWindowOpens === 'string' ? d.nextWindowOpens : null) })}</Text>;
  }
  if (error.code === 'below_assigned') return <Text size="sm">{t('change.refusedAssigned', { count: Number(d.assignedCount ?? 0) })}</Text>;
  if (error.code === 'quantity_out_of_range') return <Text size="sm">{t('change.refusedRange', { min: Number(d.min ?? 1), max: Number(d.max ?? 0) })}</Text>;
  return null;
}

/**
 * "Change resource limits": the new total, with the rule explained in this subscription's numbers
 * before the click, and the renewal offered when a lowering cannot happen now.
 */
export function ChangeQuantityDialog({ sub, onClose }: { sub: Subscription; onClose: () => void }) {
  const { t, i18n } = useTranslation('subscriptions');
  const f = useFormat();
  const [quantity, setQuantity] = useState<number | string>(sub.quantity);
  const [when, setWhen] = useState<'now' | 'renewal'>('now');
  const [placed, setPlaced] = useState<Order>();
  // One Idempotency-Key per intent (a total and when): a retry of the same intent sends it again.
  const intents = useRef(new Map<string, string>());
  const change = useChangeQuantity(sub);
  // What a raise is paid with: the account's default method preselected, another one chosen here.
  const { t: ts } = useTranslation('shop');
  const methods = usePaymentMethods(sub.accountId);
  const payable = methods.data?.items ?? [];
  const [chosenMethod, setChosenMethod] = useState<string | null>(null);
  const paymentMethodId = chosenMethod ?? (payable.find((p) => p.isDefault) ?? payable[0])?.id;

  const lowerable = lowerableNow(sub);
  const renewal = renewalDate(sub.currentTermEnd);
  const verdict = verdictOf(sub, quantity);
  const effective: 'now' | 'renewal' = verdict.kind === 'lower' && (!verdict.nowAllowed || when === 'renewal') ? 'renewal' : 'now';
  const canSubmit = verdict.kind === 'raise' || verdict.kind === 'lower';
  const windowsText = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(
    sub.cancellationWindows.map((w) => t('change.windowItem', { count: w.quantity, until: f.dateTime(w.until) })),
  );

  const submit = () => {
    if (!canSubmit || typeof quantity !== 'number') return;
    const paidWith = verdict.kind === 'raise' ? paymentMethodId : undefined;
    const intent = `${quantity}:${effective}:${paidWith ?? ''}`;
    const key = intents.current.get(intent) ?? newIdempotencyKey();
    intents.current.set(intent, key);
    change.mutate(
      { quantity, effective, key, ...(paidWith ? { paymentMethodId: paidWith } : {}) },
      {
        onSuccess: (answer) => {
          if (isOrder(answer)) {
            setPlaced(answer);
            notifications.show({ color: 'green', message: t('change.placed', { number: answer.number }) });
          } else {
            notifications.show({ color: 'green', message: t('change.scheduled', { date: f.date(renewal), count: quantity }) });
            onClose();
          }
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('change.title')} size="lg" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {placed ? (
        <Stack>
          <Alert color="green" role="status">
            {t('change.placed', { number: placed.number })}
          </Alert>
          <Group justify="flex-end">
            <AnchorLink to="/orders/$orderId" params={{ orderId: placed.id }} onClick={onClose}>
              {t('change.track')}
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
            <Text>{t('change.current', { quantity: sub.quantity, assigned: sub.assignedCount })}</Text>
            <div>
              <Text fw={600} size="sm">
                {t('change.ruleTitle')}
              </Text>
              <List size="sm" spacing={4}>
                <List.Item>{t('change.ruleRaise')}</List.Item>
                <List.Item>
                  {lowerable === 0
                    ? t('change.ruleLowerNone')
                    : sub.cancellationWindows.length === 1
                      ? t('change.ruleLowerOne', { count: lowerable, until: f.dateTime(sub.cancellationWindows[0]!.until) })
                      : t('change.ruleLowerMany', { count: lowerable, windows: windowsText })}
                </List.Item>
                <List.Item>{t('change.ruleRenewal', { date: f.date(renewal) })}</List.Item>
                <List.Item>{t('change.ruleAssigned', { count: sub.assignedCount })}</List.Item>
              </List>
            </div>
            <NumberInput
              label={t('change.quantity')}
              styles={readableDescription}
            description={t('change.quantityHint')}
              value={quantity}
              onChange={setQuantity}
              min={Math.max(1, sub.assignedCount)}
              allowDecimal={false}
              allowNegative={false}
              required
              data-autofocus
              error={verdict.kind === 'invalid' ? t('field.required', { ns: 'errors' }) : undefined}
            />
            {verdict.kind === 'lower' ? (
              <Radio.Group label={t('change.when')} value={effective} onChange={(v) => setWhen(v as 'now' | 'renewal')}>
                <Stack gap="xs" mt="xs">
                  <Radio value="now" label={t('change.now')} disabled={!verdict.nowAllowed} />
                  <Radio value="renewal" label={t('change.atRenewal', { date: f.date(renewal) })} />
                </Stack>
              </Radio.Group>
            ) : null}
            {verdict.kind === 'raise' && payable.length > 0 ? (
              <Select
                label={t('change.payment')}
                description={t('change.paymentHint')}
                data={payable.map((p) => ({ value: p.id, label: paymentLabel(p, ts as unknown as (k: string, o?: Record<string, unknown>) => string) }))}
                value={paymentMethodId ?? null}
                onChange={setChosenMethod}
                allowDeselect={false}
              />
            ) : null}
            <Verdict sub={sub} verdict={verdict} effective={effective} quantity={quantity} renewal={renewal} />
            <ErrorAlert error={change.error} />
            <RefusalDetails error={change.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('actions.cancel', { ns: 'common' })}
              </Button>
              <Button type="submit" disabled={!canSubmit} loading={change.isPending}>
                {effective === 'renewal' ? t('change.submitRenewal') : t('change.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function Verdict({ sub, verdict, effective, quantity, renewal }: { sub: Subscription; verdict: Verdict; effective: 'now' | 'renewal'; quantity: number | string; renewal: string | null }) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const date = f.date(renewal);
  switch (verdict.kind) {
    case 'invalid':
      return null;
    case 'same':
      return <Text size="sm">{t('change.verdictSame')}</Text>;
    case 'belowAssigned':
      return (
        <Alert color="red.9" role="alert">
          {t('change.verdictBelowAssigned', { assigned: sub.assignedCount })}
        </Alert>
      );
    case 'raise':
      return (
        <Alert color="blue" role="status">
          {t('change.verdictRaise', { count: verdict.count })}
        </Alert>
      );
    case 'lower':
      return (
        <Stack gap="xs">
          {!verdict.nowAllowed ? (
            <Alert color="yellow" role="status">
              {t('change.verdictTooMany', { count: verdict.count, lowerable: lowerableNow(sub), date })}
            </Alert>
          ) : null}
          <Alert color="blue" role="status">
            {effective === 'now' ? t('change.verdictLowerNow', { count: verdict.count }) : t('change.verdictLowerRenewal', { quantity: sub.quantity, date, next: quantity })}
          </Alert>
        </Stack>
      );
  }
}
