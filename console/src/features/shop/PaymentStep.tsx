import { Badge, Button, Group, Paper, Radio, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { ErrorAlert } from '../../ui/errors';
import { AddCardForm } from '../billing/AddCardForm';
import { usePaymentMethods } from '../billing/queries';
import type { CheckoutForm } from './checkoutForm';

type PaymentMethod = components['schemas']['PaymentMethod'];

export function paymentLabel(pm: PaymentMethod, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (pm.type === 'invoice') return t('checkout.payment.invoice');
  return t('checkout.payment.card', {
    brand: pm.brand ? pm.brand.charAt(0).toUpperCase() + pm.brand.slice(1) : '',
    last4: pm.last4 ?? '',
    month: String(pm.expMonth ?? '').padStart(2, '0'),
    year: pm.expYear ?? '',
  });
}

/** The account's payment methods to choose from, or a card added here (through the gateway's form); a declined payment shows here. */
export function PaymentStep({ form, accountId, declined }: { form: CheckoutForm; accountId: string; declined: unknown }) {
  const { t } = useTranslation('shop');
  const methods = usePaymentMethods(accountId);
  const items = methods.data?.items ?? [];
  const [adding, setAdding] = useState<boolean | undefined>(undefined);
  const showForm = adding ?? (methods.isSuccess && items.length === 0);
  const tt = t as unknown as (k: string, o?: Record<string, unknown>) => string;

  return (
    <Stack>
      <ErrorAlert error={declined} />
      <ErrorAlert error={methods.error} />
      {methods.isPending ? (
        <Skeleton h={80} />
      ) : items.length === 0 ? (
        <Text>{t('checkout.payment.none')}</Text>
      ) : (
        <Radio.Group label={t('checkout.payment.legend')} required {...form.getInputProps('paymentMethodId')}>
          <Stack gap="sm" mt="xs">
            {items.map((pm) => (
              <Paper key={pm.id} withBorder p="sm">
                <Radio
                  value={pm.id}
                  label={
                    <Group gap="xs">
                      <Text span>{paymentLabel(pm, tt)}</Text>
                      {pm.isDefault ? (
                        <Badge variant="light" color="dark">
                          {t('checkout.payment.default')}
                        </Badge>
                      ) : null}
                    </Group>
                  }
                />
              </Paper>
            ))}
          </Stack>
        </Radio.Group>
      )}
      {showForm ? (
        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              {t('checkout.payment.addCard')}
            </Title>
            <AddCardForm
              accountId={accountId}
              defaultChecked={items.length === 0}
              onAdded={(pm) => {
                form.setFieldValue('paymentMethodId', pm.id);
                form.clearFieldError('paymentMethodId');
                setAdding(false);
                notifications.show({ color: 'green', message: t('checkout.payment.cardAdded', { last4: pm.last4 ?? '' }), closeButtonProps: { 'aria-label': t('actions.close', { ns: 'common' }) } });
              }}
            />
          </Stack>
        </Paper>
      ) : null}
      {items.length > 0 ? (
        <Group>
          <Button variant="subtle" onClick={() => setAdding(!showForm)}>
            {showForm ? t('checkout.payment.hideCard') : t('checkout.payment.addCard')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
