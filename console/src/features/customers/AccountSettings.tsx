import { Anchor, Button, Checkbox, Fieldset, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../i18n';
import { addressBody, addressForm, type AddressForm } from '../../ui/address';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { AccountFields, GRACE_DAYS, validGraceDays, type SettingsForm } from './AccountFields';
import { Item } from './AccountSummary';
import type { Account, AccountEdit, ChildType, useEditAccount } from './queries';
import { PHONE, validEmail, validName, addressRules, webUrl } from './validation';

interface Values {
  name: string;
  address: AddressForm;
  settings: SettingsForm;
  /** Unchecked: the account has a support contact of its own. */
  inheritSupport: boolean;
  support: { email: string; phone: string; url: string };
}

function valuesOf(account: Account): Values {
  return {
    name: account.name,
    address: addressForm(account.address),
    settings: { ...account.settings },
    inheritSupport: account.support === null,
    support: { email: account.support?.email ?? '', phone: account.support?.phone ?? '', url: account.support?.url ?? '' },
  };
}

/** Only what changed goes to the API. */
function changes(account: Account, before: Values, after: Values): AccountEdit {
  const body: AccountEdit = {};
  if (after.name.trim() !== before.name) body.name = after.name.trim();
  const address = addressBody(after.address);
  if (address && JSON.stringify(address) !== JSON.stringify(addressBody(before.address))) body.address = address;
  const s = after.settings;
  if (JSON.stringify(s) !== JSON.stringify(before.settings)) {
    body.settings = {
      orderProcessing: s.orderProcessing,
      locale: s.locale,
      currency: s.currency,
      suspensionGraceDays: Number(s.suspensionGraceDays),
      ...(account.type === 'customer' ? { allowSelfServicePurchases: s.allowSelfServicePurchases } : {}),
    };
  }
  if (after.inheritSupport) {
    if (account.support !== null) body.support = null;
  } else {
    const next = { email: after.support.email.trim(), phone: after.support.phone.trim(), url: after.support.url.trim() };
    if (before.inheritSupport || JSON.stringify(next) !== JSON.stringify(before.support)) {
      body.support = { ...(next.email ? { email: next.email } : {}), ...(next.phone ? { phone: next.phone } : {}), ...(next.url ? { url: next.url } : {}) };
    }
  }
  return body;
}

/**
 * The account's settings for a staff admin: name, address, order processing, self-service
 * purchases, language, currency and the support contact (its own, or the one of the account
 * above). Mounted per version of the account (the page keys it), so a saved or refetched account
 * starts a clean form; the save (`edit`) belongs to the page, so its 412 outlives that remount.
 */
export function AccountSettingsForm({ account, edit }: { account: Account; edit: ReturnType<typeof useEditAccount> }) {
  const { t } = useTranslation('customers');
  const { t: te } = useTranslation('errors');
  const { t: tc } = useTranslation();
  const initial = valuesOf(account);
  const oneOf = (values: Values) => !values.inheritSupport && !values.support.email.trim() && !values.support.phone.trim() && !values.support.url.trim();
  const form = useForm<Values>({
    initialValues: initial,
    validate: {
      name: validName(te),
      address: addressRules(te, t),
      settings: { suspensionGraceDays: validGraceDays(t('form.graceDaysInvalid', { min: GRACE_DAYS.min, max: GRACE_DAYS.max })) },
      support: {
        email: (v, values) => (values.inheritSupport ? null : oneOf(values) ? t('settings.supportOne') : validEmail(te, false)(v)),
        phone: (v, values) => (values.inheritSupport || !v.trim() || PHONE.test(v.trim()) ? null : t('settings.phoneInvalid')),
        url: (v, values) => (values.inheritSupport || !v.trim() || webUrl(v) ? null : t('settings.urlInvalid')),
      },
    },
  });
  const { inheritSupport } = form.getValues();

  const submit = form.onSubmit((values) => {
    const body = changes(account, initial, values);
    if (Object.keys(body).length === 0) return;
    // Followed on the promise: a save bumps the version, which remounts this form (its key).
    edit.mutateAsync({ account, body }).then(
      () => notifications.show({ color: 'green', message: t('settings.saved') }),
      (err: unknown) => applyFieldErrors(form, err, tc),
    );
  });

  const field = (path: string, options?: { type: 'checkbox' }) => form.getInputProps(path, options);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <AccountFields field={field} type={account.type as ChildType} currency={account.settings.currency} />
        <Fieldset legend={t('settings.support')}>
          <Stack gap="sm">
            <Text size="sm">{t('settings.supportHint')}</Text>
            <Checkbox label={t('settings.inherit')} description={t('settings.inheritHint')} {...field('inheritSupport', { type: 'checkbox' })} />
            {inheritSupport ? null : (
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput label={t('settings.email')} type="email" autoComplete="off" maxLength={254} {...field('support.email')} />
                <TextInput label={t('settings.phone')} type="tel" autoComplete="off" maxLength={30} {...field('support.phone')} />
                <TextInput label={t('settings.url')} type="url" autoComplete="off" maxLength={2048} placeholder="https://" {...field('support.url')} />
              </SimpleGrid>
            )}
          </Stack>
        </Fieldset>
        <Group>
          <Button type="submit" loading={edit.isPending} disabled={!form.isDirty()}>
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The same settings for a staff user, who reads them. */
export function AccountSettingsView({ account }: { account: Account }) {
  const { t } = useTranslation('customers');
  const none = t('state.none', { ns: 'common' });
  const s = account.settings;
  const support = account.support;
  return (
    <Stack gap="md">
      <Text size="sm">{t('settings.readOnly')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" component="dl" m={0}>
        <Item label={t('form.orderProcessing')}>{t(`form.${s.orderProcessing}`)}</Item>
        {account.type === 'customer' ? <Item label={t('form.selfService')}>{s.allowSelfServicePurchases ? t('settings.yes') : t('settings.no')}</Item> : null}
        <Item label={t('form.locale')}>{t(`language.${s.locale as Language}`, { ns: 'common' })}</Item>
        <Item label={t('form.currency')}>{s.currency}</Item>
        <Item label={t('form.graceDays')}>{t('settings.graceDaysValue', { count: s.suspensionGraceDays })}</Item>
        <Item label={t('settings.support')}>
          {support === null ? (
            t('settings.inherited')
          ) : (
            <Stack gap={2} component="span">
              {support.email ? <Anchor href={`mailto:${support.email}`}>{support.email}</Anchor> : null}
              {support.phone ? <span>{support.phone}</span> : null}
              {support.url ? <span>{support.url}</span> : null}
              {!support.email && !support.phone && !support.url ? none : null}
            </Stack>
          )}
        </Item>
      </SimpleGrid>
    </Stack>
  );
}

/** The settings section: the form for staff admins, the values for staff users. */
export function AccountSettings({ account, canEdit, edit }: { account: Account; canEdit: boolean; edit: ReturnType<typeof useEditAccount> }) {
  const { t } = useTranslation('customers');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="account-settings">
      <Stack>
        <Title order={2} size="h4" id="account-settings">
          {t('settings.title')}
        </Title>
        {/* A refusal (a 412 when the account changed meanwhile) stays in view while the form starts again from the fresh account. */}
        <ErrorAlert error={edit.error} />
        {canEdit ? <AccountSettingsForm key={account.version} account={account} edit={edit} /> : <AccountSettingsView account={account} />}
      </Stack>
    </Paper>
  );
}
