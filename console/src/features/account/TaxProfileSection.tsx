import { Button, Fieldset, Paper, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addressBody, addressForm, type AddressForm } from '../../ui/address';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { HINT } from '../auth/password';
import { Item } from '../customers/AccountSummary';
import { AddressLines } from '../users/UserDetails';
import { countryName, countryOptions } from '../pricing/format';
import { usePutTaxProfile, useTaxProfile, type TaxProfile, type TaxProfileBody } from './taxQueries';

/** The API's limits (TaxProfileBody): a legal name of 1 to 200 characters, a VAT id of 40 at most. */
const LEGAL_NAME_MAX = 200;
const VAT_ID_MAX = 40;

interface Values {
  legalName: string;
  country: string | null;
  vatId: string;
  address: AddressForm;
}

type Profile = NonNullable<TaxProfile['profile']>;

const valuesOf = (p: Profile | null): Values => ({
  legalName: p?.legalName ?? '',
  country: p?.country ?? null,
  vatId: p?.vatId ?? '',
  address: addressForm(p?.address ?? null),
});

/**
 * An account's tax profile in a section: its legal name, country, VAT id and postal address, as
 * its invoices will name it. Admins of the account and staff admins above it set it (whole; the
 * VAT id is checked against the country's format, a refusal shows under the field); anyone else
 * in scope reads it.
 */
export function TaxProfileSection({ accountId, canEdit, titled = true }: { accountId: string; canEdit: boolean; titled?: boolean }) {
  const { t } = useTranslation('account');
  const profile = useTaxProfile(accountId);
  const put = usePutTaxProfile(accountId);
  // Untitled on the page of its own (whose heading says it already): the section is named, not headed.
  const naming = titled ? { 'aria-labelledby': `tax-profile-${accountId}` } : { 'aria-label': t('tax.title') };
  return (
    <Paper withBorder p="md" radius="md" component="section" {...naming}>
      <Stack>
        <div>
          {titled ? (
            <Title order={2} size="h4" id={`tax-profile-${accountId}`}>
              {t('tax.title')}
            </Title>
          ) : null}
          <Text size="sm">{t('tax.intro')}</Text>
        </div>
        <ErrorAlert error={profile.error} />
        {!profile.data ? (
          profile.error ? null : (
            <Skeleton h={160} />
          )
        ) : canEdit ? (
          <TaxProfileForm key={profile.data.profile?.updatedAt ?? 'none'} profile={profile.data.profile} put={put} />
        ) : (
          <TaxProfileView profile={profile.data.profile} />
        )}
      </Stack>
    </Paper>
  );
}

export function TaxProfileView({ profile }: { profile: Profile | null }) {
  const { t, i18n } = useTranslation('account');
  if (!profile) return <Text role="status">{t('tax.none')}</Text>;
  const none = t('state.none', { ns: 'common' });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" component="dl" m={0}>
      <Item label={t('tax.legalName')}>{profile.legalName}</Item>
      <Item label={t('tax.country')}>{`${countryName(profile.country, i18n.language)} (${profile.country})`}</Item>
      <Item label={t('tax.vatId')}>{profile.vatId ?? none}</Item>
      <Item label={t('tax.address')}>{profile.address ? <AddressLines address={profile.address} /> : none}</Item>
    </SimpleGrid>
  );
}

function TaxProfileForm({ profile, put }: { profile: Profile | null; put: ReturnType<typeof usePutTaxProfile> }) {
  const { t, i18n } = useTranslation('account');
  const { t: te } = useTranslation('errors');
  const { t: tc } = useTranslation();
  const [onFields, setOnFields] = useState(false);
  const required = te('field.required');
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const form = useForm<Values>({
    initialValues: valuesOf(profile),
    validate: {
      legalName: (v) => (!v.trim() ? required : v.trim().length > LEGAL_NAME_MAX ? te('field.tooLong') : null),
      country: (v) => (v ? null : required),
      vatId: (v) => (v.trim().length > VAT_ID_MAX ? te('field.tooLong') : null),
      address: {
        line1: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        city: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        postalCode: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        country: (v, values) => (addressBody(values.address) && !/^[A-Za-z]{2}$/.test(v.trim()) ? (v.trim() ? t('profile.countryInvalid') : required) : null),
      },
    },
  });

  const submit = form.onSubmit((v) => {
    const address = addressBody(v.address);
    const body: TaxProfileBody = {
      legalName: v.legalName.trim(),
      country: v.country!,
      ...(v.vatId.trim() ? { vatId: v.vatId.trim() } : {}),
      ...(address ? { address } : {}),
    };
    setOnFields(false);
    // Followed on the promise: the saved profile (its new updatedAt) remounts this form.
    put.mutateAsync(body).then(
      () => notifications.show({ color: 'green', message: t('tax.saved') }),
      (err: unknown) => setOnFields(applyFieldErrors(form, err, tc)),
    );
  });

  const field = (path: string) => form.getInputProps(path);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('tax.legalName')} description={t('tax.legalNameHint')} {...HINT} required autoComplete="organization" maxLength={LEGAL_NAME_MAX} {...field('legalName')} />
          <Select label={t('tax.country')} required searchable data={countries} nothingFoundMessage={t('tax.noCountry')} {...field('country')} />
          <TextInput label={t('tax.vatId')} description={t('tax.vatIdHint')} {...HINT} autoComplete="off" maxLength={VAT_ID_MAX} {...field('vatId')} />
        </SimpleGrid>
        <Fieldset legend={t('tax.address')}>
          <Stack gap="sm">
            <TextInput label={t('profile.line1')} description={t('tax.addressHint')} {...HINT} autoComplete="address-line1" maxLength={200} {...field('address.line1')} />
            <TextInput label={t('profile.line2')} autoComplete="address-line2" maxLength={200} {...field('address.line2')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('profile.postalCode')} autoComplete="postal-code" maxLength={20} {...field('address.postalCode')} />
              <TextInput label={t('profile.city')} autoComplete="address-level2" maxLength={100} {...field('address.city')} />
              <TextInput label={t('profile.state')} autoComplete="address-level1" maxLength={100} {...field('address.state')} />
              <TextInput label={t('profile.country')} description={t('profile.countryHint')} {...HINT} autoComplete="country" maxLength={2} {...field('address.country')} />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <ErrorAlert error={onFields ? null : put.error} />
        <div>
          <Button type="submit" loading={put.isPending} disabled={!form.isDirty()}>
            {t('tax.save')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
