import { Button, Checkbox, Fieldset, Group, Modal, NativeSelect, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../i18n';
import { addressBody, addressForm, type AddressForm } from '../../ui/address';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { readable } from '../users/contrast';
import { AccountFields, GRACE_DAYS, validGraceDays, type SettingsForm } from './AccountFields';
import { useCreateAccount, type ChildType, type NewAccount } from './queries';
import { addressRules, passwordProblem, validEmail, validName } from './validation';

interface Values {
  name: string;
  address: AddressForm;
  settings: SettingsForm;
  admin: { firstName: string; lastName: string; login: string; locale: Language; password: string };
  sendActivationEmail: boolean;
}

const initialValues = (locale: Language): Values => ({
  name: '',
  address: addressForm(null),
  settings: { orderProcessing: 'automatic', allowSelfServicePurchases: false, locale, currency: 'EUR', suspensionGraceDays: GRACE_DAYS.default },
  admin: { firstName: '', lastName: '', login: '', locale, password: '' },
  sendActivationEmail: true,
});

/**
 * "New customer" / "New reseller": the account (name, address, settings) and its first admin, who
 * gets the activation email or an initial password now. Refusals land on the field they name
 * (`admin.login`, `address.country`); afterwards the new account's page opens.
 */
export function NewAccountModal({ type, opened, onClose }: { type: ChildType; opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('customers');
  const { t: te } = useTranslation('errors');
  const { t: tc } = useTranslation();
  const narrow = useMediaQuery('(max-width: 48em)');
  const navigate = useNavigate();
  const create = useCreateAccount();
  const form = useForm<Values>({
    initialValues: initialValues(i18n.language as Language),
    validate: {
      name: validName(te),
      address: addressRules(te, t),
      settings: { suspensionGraceDays: validGraceDays(t('form.graceDaysInvalid', { min: GRACE_DAYS.min, max: GRACE_DAYS.max })) },
      admin: {
        firstName: validName(te),
        lastName: validName(te),
        login: validEmail(te),
        password: (v, values) => (values.sendActivationEmail ? null : passwordProblem(te, v, values.admin.login)),
      },
    },
  });
  const { sendActivationEmail } = form.getValues();

  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };

  const submit = form.onSubmit((v) => {
    const body: NewAccount = {
      type,
      name: v.name.trim(),
      address: addressBody(v.address)!,
      settings: {
        orderProcessing: v.settings.orderProcessing,
        locale: v.settings.locale,
        currency: v.settings.currency,
        suspensionGraceDays: Number(v.settings.suspensionGraceDays),
        ...(type === 'customer' ? { allowSelfServicePurchases: v.settings.allowSelfServicePurchases } : {}),
      },
      admin: {
        firstName: v.admin.firstName.trim(),
        lastName: v.admin.lastName.trim(),
        login: v.admin.login.trim(),
        locale: v.admin.locale,
        ...(v.sendActivationEmail ? {} : { password: v.admin.password }),
      },
      sendActivationEmail: v.sendActivationEmail,
    };
    // Followed on the promise: the modal closes and the page changes once the account exists.
    create.mutateAsync(body).then(
      async ({ account }) => {
        notifications.show({ color: 'green', message: t('create.done', { name: account.name }) });
        close();
        await navigate({ to: '/customers/$accountId', params: { accountId: account.id } });
      },
      (err: unknown) => applyFieldErrors(form, err, tc, { login: 'admin.login' }),
    );
  });

  const field = (path: string, options?: { type: 'checkbox' }) => form.getInputProps(path, options);
  const title = type === 'customer' ? t('create.customerTitle') : t('create.resellerTitle');
  return (
    <Modal style={readable} opened={opened} onClose={close} title={title} size="lg" fullScreen={narrow} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <AccountFields field={field} type={type} />
          <Fieldset legend={t('create.admin')}>
            <Stack gap="sm">
              <Text size="sm">{t('create.adminHint')}</Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('create.firstName')} required autoComplete="off" maxLength={100} {...field('admin.firstName')} />
                <TextInput label={t('create.lastName')} required autoComplete="off" maxLength={100} {...field('admin.lastName')} />
                <TextInput label={t('create.login')} type="email" required autoComplete="off" maxLength={254} {...field('admin.login')} />
                <NativeSelect label={t('create.adminLocale')} data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`, { ns: 'common' }) }))} {...field('admin.locale')} />
              </SimpleGrid>
              <Checkbox label={t('create.sendActivation')} description={t('create.sendActivationHint')} {...field('sendActivationEmail', { type: 'checkbox' })} />
              {sendActivationEmail ? null : (
                <PasswordInput label={t('create.password')} description={t('create.passwordHint')} required autoComplete="new-password" maxLength={128} {...field('admin.password')} />
              )}
            </Stack>
          </Fieldset>
          <ErrorAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('actions.cancel', { ns: 'common' })}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {type === 'customer' ? t('create.submitCustomer') : t('create.submitReseller')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
