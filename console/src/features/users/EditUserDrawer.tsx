import { Button, Drawer, Fieldset, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../i18n';
import { ErrorAlert } from '../../ui/errors';
import { useEditUser, type User, type UserEdit } from './queries';
import { RoleChoice } from './RoleChoice';
import { readable } from './contrast';
import { applyUserErrors, validEmail, validName } from './validation';
import { addressBody, addressForm } from '../../ui/address';

const PHONE = /^\+?[0-9 ()./-]{4,30}$/;

function EditUserForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation('users');
  const edit = useEditUser(user);
  const required = t('field.required', { ns: 'errors' });
  const form = useForm({
    initialValues: {
      firstName: user.firstName,
      lastName: user.lastName,
      login: user.login,
      notificationEmail: user.notificationEmail === user.login ? '' : user.notificationEmail,
      role: user.role,
      locale: user.locale,
      phone: user.phone ?? '',
      address: addressForm(user.address),
    },
    validate: {
      firstName: validName(t),
      lastName: validName(t),
      login: validEmail(t),
      notificationEmail: validEmail(t, false),
      phone: (v) => (!v.trim() || PHONE.test(v.trim()) ? null : t('edit.phoneInvalid')),
      address: {
        line1: (v, values) => (addressBody(values.address) && !v.trim() ? required : v.length > 200 ? t('field.tooLong', { ns: 'errors' }) : null),
        city: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        postalCode: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        country: (v, values) => (addressBody(values.address) && !/^[A-Za-z]{2}$/.test(v.trim()) ? (v.trim() ? t('edit.countryInvalid') : required) : null),
      },
    },
  });

  const submit = form.onSubmit((v) => {
    // Only what changed: an unchanged login is not sent again.
    const body: UserEdit = {};
    if (v.firstName.trim() !== user.firstName) body.firstName = v.firstName.trim();
    if (v.lastName.trim() !== user.lastName) body.lastName = v.lastName.trim();
    if (v.login.trim() !== user.login) body.login = v.login.trim();
    const notification = v.notificationEmail.trim();
    if (notification !== (user.notificationEmail === user.login ? '' : user.notificationEmail)) body.notificationEmail = notification || null;
    if (v.role !== user.role) body.role = v.role;
    if (v.locale !== user.locale) body.locale = v.locale;
    if (v.phone.trim() !== (user.phone ?? '')) body.phone = v.phone.trim() || null;
    const address = addressBody(v.address);
    if (JSON.stringify(address) !== JSON.stringify(addressBody(addressForm(user.address)))) body.address = address;
    if (Object.keys(body).length === 0) return onDone();
    edit.mutate(body, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('edit.saved') });
        onDone();
      },
      onError: (err) => applyUserErrors(form, err, t, { login: 'login' }),
    });
  });

  const field = (path: string) => form.getInputProps(path);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('add.firstName')} required maxLength={100} {...field('firstName')} />
          <TextInput label={t('add.lastName')} required maxLength={100} {...field('lastName')} />
        </SimpleGrid>
        <TextInput label={t('detail.login')} description={t('edit.loginHint')} type="email" required maxLength={254} {...field('login')} />
        <TextInput label={t('edit.notificationEmail')} description={t('edit.notificationEmailHint')} type="email" maxLength={254} {...field('notificationEmail')} />
        <RoleChoice {...field('role')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect label={t('detail.locale')} data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`, { ns: 'common' }) }))} {...field('locale')} />
          <TextInput label={t('edit.phone')} type="tel" autoComplete="off" maxLength={30} {...field('phone')} />
        </SimpleGrid>
        <Fieldset legend={t('edit.address')}>
          <Stack gap="sm">
            <TextInput label={t('edit.line1')} description={t('edit.addressHint')} maxLength={200} {...field('address.line1')} />
            <TextInput label={t('edit.line2')} maxLength={200} {...field('address.line2')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('edit.postalCode')} maxLength={20} {...field('address.postalCode')} />
              <TextInput label={t('edit.city')} maxLength={100} {...field('address.city')} />
              <TextInput label={t('edit.state')} maxLength={100} {...field('address.state')} />
              <TextInput label={t('edit.country')} description={t('edit.countryHint')} maxLength={2} {...field('address.country')} />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <ErrorAlert error={edit.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={edit.isPending}>
            {t('actions.save', { ns: 'common' })}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Edit a user (login and postal address included), on the version shown (If-Match). */
export function EditUserDrawer({ user, opened, onClose }: { user: User; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('users');
  const narrow = useMediaQuery('(max-width: 48em)');
  return (
    <Drawer style={readable} opened={opened} onClose={onClose} title={t('edit.title')} position="right" size={narrow ? '100%' : 'lg'} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {opened ? <EditUserForm user={user} onDone={onClose} /> : null}
    </Drawer>
  );
}
