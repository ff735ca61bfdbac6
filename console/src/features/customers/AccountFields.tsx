import { Checkbox, Fieldset, NativeSelect, NumberInput, Radio, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../i18n';
import { currencyOptions } from './currencies';
import type { Account, ChildType } from './queries';

/** An account's settings in a form. */
export interface SettingsForm {
  orderProcessing: Account['settings']['orderProcessing'];
  allowSelfServicePurchases: boolean;
  locale: Language;
  currency: string;
  /** Days a subscription suspended for not paying stays suspended before it is cancelled (1 to 365). */
  suspensionGraceDays: number | string;
}

/** The API's bounds of `suspensionGraceDays` and its default. */
export const GRACE_DAYS = { min: 1, max: 365, default: 30 } as const;

export type Field = (path: string, options?: { type: 'checkbox' }) => GetInputPropsReturnType;

/**
 * The account's name, postal address and settings (order processing, self-service purchases for
 * a customer, language, currency): the same fields when creating an account and when editing it.
 */
export function AccountFields({ field, type, currency }: { field: Field; type: ChildType; currency?: string }) {
  const { t, i18n } = useTranslation('customers');
  return (
    <>
      <TextInput label={t('form.name')} required autoComplete="off" maxLength={100} {...field('name')} />
      <Fieldset legend={t('form.address')}>
        <Stack gap="sm">
          <TextInput label={t('form.line1')} required autoComplete="off" maxLength={200} {...field('address.line1')} />
          <TextInput label={t('form.line2')} autoComplete="off" maxLength={200} {...field('address.line2')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('form.postalCode')} required autoComplete="off" maxLength={20} {...field('address.postalCode')} />
            <TextInput label={t('form.city')} required autoComplete="off" maxLength={100} {...field('address.city')} />
            <TextInput label={t('form.state')} autoComplete="off" maxLength={100} {...field('address.state')} />
            <TextInput label={t('form.country')} description={t('form.countryHint')} required autoComplete="off" maxLength={2} {...field('address.country')} />
          </SimpleGrid>
        </Stack>
      </Fieldset>
      <Fieldset legend={t('form.settings')}>
        <Stack gap="md">
          <Radio.Group label={t('form.orderProcessing')} {...field('settings.orderProcessing')}>
            <Stack gap="xs" mt="xs">
              <Radio value="automatic" label={t('form.automatic')} description={t('form.automaticHint')} />
              <Radio value="manual" label={t('form.manual')} description={t('form.manualHint')} />
            </Stack>
          </Radio.Group>
          {type === 'customer' ? (
            <Checkbox label={t('form.selfService')} description={t('form.selfServiceHint')} {...field('settings.allowSelfServicePurchases', { type: 'checkbox' })} />
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('form.locale')}
              description={t('form.localeHint')}
              data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`, { ns: 'common' }) }))}
              {...field('settings.locale')}
            />
            <NativeSelect label={t('form.currency')} description={t('form.currencyHint')} data={currencyOptions(i18n.language, currency)} {...field('settings.currency')} />
            <NumberInput
              label={t('form.graceDays')}
              description={t('form.graceDaysHint')}
              min={GRACE_DAYS.min}
              max={GRACE_DAYS.max}
              allowDecimal={false}
              allowNegative={false}
              clampBehavior="none"
              {...field('settings.suspensionGraceDays')}
            />
          </SimpleGrid>
        </Stack>
      </Fieldset>
    </>
  );
}

/** The grace days field's rule: a whole number of days within the API's bounds (`message` otherwise). */
export const validGraceDays = (message: string) => (v: number | string) => {
  const n = typeof v === 'number' ? v : Number(v);
  return v !== '' && Number.isInteger(n) && n >= GRACE_DAYS.min && n <= GRACE_DAYS.max ? null : message;
};
