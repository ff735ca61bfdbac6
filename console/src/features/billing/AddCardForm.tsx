import { Button, Checkbox, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CardRefused, tokenizeCard } from '../../api/cardTokenizer';
import { ApiError, type ErrorCode } from '../../api/errors';
import type { components } from '../../api/schema';
import { useMe } from '../../api/me';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { useAddPaymentMethod } from './queries';

type PaymentMethod = components['schemas']['PaymentMethod'];

/** The Luhn check a card number must pass (spaces and dashes ignored), 12 to 19 digits. */
export function luhnValid(input: string): boolean {
  const number = input.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card is good through the last day of its expiry month. */
export function expiryInFuture(month: number, year: number, now = new Date()): boolean {
  return year > now.getFullYear() || (year === now.getFullYear() && month >= now.getMonth() + 1);
}

interface Values {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string;
  holderName: string;
  setDefault: boolean;
}

/**
 * Adds a card: its number goes to the payment gateway's tokenizing endpoint only; the API gets the
 * token the gateway answers (with the holder's name), so no card number ever reaches /v1.
 */
export function AddCardForm({ accountId, onAdded, defaultChecked = false }: { accountId: string; onAdded: (pm: PaymentMethod) => void; defaultChecked?: boolean }) {
  const { t } = useTranslation('billing');
  const { t: tc } = useTranslation();
  const me = useMe();
  // A customer user's card is its own, never the account's default (docs/product.md#self-service-subscriptions).
  const ownCard = me.data?.accountType === 'customer' && me.data.role === 'user';
  const required = t('field.required', { ns: 'errors' });
  const form = useForm<Values>({
    initialValues: { number: '', expMonth: '', expYear: '', cvc: '', holderName: '', setDefault: defaultChecked },
    validate: {
      number: (v) => (!v.trim() ? required : luhnValid(v) ? null : t('card.invalidNumber')),
      expMonth: (v) => (!v.trim() ? required : /^\d{1,2}$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 12 ? null : t('card.invalidMonth')),
      expYear: (v, values) => {
        if (!v.trim()) return required;
        if (!/^\d{4}$/.test(v.trim()) || Number(v) > 2100) return t('card.invalidYear');
        const month = Number(values.expMonth);
        if (month >= 1 && month <= 12 && !expiryInFuture(month, Number(v))) return t('card.expired');
        return null;
      },
      cvc: (v) => (!v.trim() ? required : /^\d{3,4}$/.test(v.trim()) ? null : t('card.invalidCvc')),
      holderName: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
    },
  });
  const add = useAddPaymentMethod(accountId);
  const save = useMutation({
    mutationFn: async (values: Values) => {
      let token: string;
      try {
        ({ token } = await tokenizeCard({ number: values.number, expMonth: Number(values.expMonth), expYear: Number(values.expYear), cvc: values.cvc.trim() }));
      } catch (err) {
        const code = err instanceof CardRefused && err.code === 'network_error' ? 'network_error' : 'card_refused';
        throw new ApiError(400, code as ErrorCode, code);
      }
      return add.mutateAsync({ token, holderName: values.holderName.trim(), setDefault: !ownCard && values.setDefault });
    },
    onSuccess: (pm) => {
      form.reset();
      onAdded(pm);
    },
    onError: (err) => applyFieldErrors(form, err, tc, { holderName: 'holderName' }),
  });

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack gap="sm">
        <TextInput label={t('card.number')} inputMode="numeric" autoComplete="cc-number" required maxLength={23} {...form.getInputProps('number')} />
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <TextInput label={t('card.expMonth')} placeholder={t('card.expMonthPlaceholder')} inputMode="numeric" autoComplete="cc-exp-month" required maxLength={2} {...form.getInputProps('expMonth')} />
          <TextInput label={t('card.expYear')} placeholder={t('card.expYearPlaceholder')} inputMode="numeric" autoComplete="cc-exp-year" required maxLength={4} {...form.getInputProps('expYear')} />
          <TextInput label={t('card.cvc')} inputMode="numeric" autoComplete="cc-csc" required maxLength={4} {...form.getInputProps('cvc')} />
        </SimpleGrid>
        <TextInput label={t('card.holderName')} autoComplete="cc-name" required maxLength={100} {...form.getInputProps('holderName')} />
        {ownCard ? null : <Checkbox label={t('card.setDefault')} {...form.getInputProps('setDefault', { type: 'checkbox' })} />}
        <ErrorAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('card.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
