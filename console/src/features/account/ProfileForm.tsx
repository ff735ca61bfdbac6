import { Button, Fieldset, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/me';
import { LANGUAGES, setLanguage } from '../../i18n';
import { applyFieldErrors } from '../../ui/errors';
import { HINT } from '../auth/password';
import type { ProfileEdit, useEditProfile } from './queries';
import { addressBody, addressForm, type AddressForm } from '../../ui/address';

/** The API's limits (the zod schemas of PATCH /v1/me). */
const NAME_MAX = 100;
const EMAIL_MAX = 254;
const PHONE = /^\+?[0-9 ()./-]{4,30}$/;

interface Values {
  firstName: string;
  lastName: string;
  login: string;
  notificationEmail: string;
  phone: string;
  locale: Me['locale'];
  address: AddressForm;
}

function valuesOf(me: Me): Values {
  return {
    firstName: me.firstName,
    lastName: me.lastName,
    login: me.login,
    // The API answers the login when no other address is set: the field then stays empty.
    notificationEmail: me.notificationEmail.toLowerCase() === me.login.toLowerCase() ? '' : me.notificationEmail,
    phone: me.phone ?? '',
    locale: me.locale,
    address: addressForm(me.address),
  };
}

/** Only what changed goes to the API (under "log in as", never the login or the notification address). */
function changes(before: Values, after: Values, actingAs: boolean): ProfileEdit {
  const body: ProfileEdit = {};
  if (after.firstName.trim() !== before.firstName) body.firstName = after.firstName.trim();
  if (after.lastName.trim() !== before.lastName) body.lastName = after.lastName.trim();
  if (!actingAs && after.login.trim().toLowerCase() !== before.login.toLowerCase()) body.login = after.login.trim();
  if (!actingAs && after.notificationEmail.trim() !== before.notificationEmail) body.notificationEmail = after.notificationEmail.trim() || null;
  if (after.phone.trim() !== before.phone) body.phone = after.phone.trim() || null;
  if (after.locale !== before.locale) body.locale = after.locale;
  const address = addressBody(after.address);
  if (JSON.stringify(address) !== JSON.stringify(addressBody(before.address))) body.address = address;
  return body;
}

/**
 * The own profile's fields. Mounted per version of the profile (the page keys it), so a saved or
 * refetched profile starts a clean form; the save (`edit`) belongs to the page, so its outcome
 * and its error outlive that remount. A new login is not applied at once: `onLoginPending` tells
 * the page which address the confirmation link went to.
 */
export function ProfileForm({ me, edit, onLoginPending }: { me: Me; edit: ReturnType<typeof useEditProfile>; onLoginPending: (login: string | undefined) => void }) {
  const { t } = useTranslation('account');
  const { t: te } = useTranslation('errors');
  const { t: tc } = useTranslation('common');
  const actingAs = me.actingAs !== null;
  const initial = valuesOf(me);
  const required = te('field.required');
  const form = useForm<Values>({
    initialValues: initial,
    validate: {
      firstName: (v) => (!v.trim() ? required : v.trim().length > NAME_MAX ? te('field.tooLong') : null),
      lastName: (v) => (!v.trim() ? required : v.trim().length > NAME_MAX ? te('field.tooLong') : null),
      login: (v) => (!v.trim() ? required : isEmail(te('field.email'))(v.trim())),
      notificationEmail: (v) => (v.trim() ? isEmail(te('field.email'))(v.trim()) : null),
      phone: (v) => (v.trim() && !PHONE.test(v.trim()) ? t('profile.phoneInvalid') : null),
      address: {
        line1: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        city: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        postalCode: (v, values) => (addressBody(values.address) && !v.trim() ? required : null),
        country: (v, values) => (addressBody(values.address) && !/^[A-Za-z]{2}$/.test(v.trim()) ? (v.trim() ? t('profile.countryInvalid') : required) : null),
      },
    },
  });

  const submit = form.onSubmit((values) => {
    const body = changes(initial, values, actingAs);
    if (Object.keys(body).length === 0) return;
    // Followed on the mutation's promise, not mutate()'s callbacks: a save bumps the profile's
    // version, which remounts this form (its key), and mutate()'s callbacks then never run.
    edit.mutateAsync({ me, body }).then(
      ({ pending }) => {
        if (body.locale) setLanguage(body.locale);
        onLoginPending(pending ? body.login : undefined);
        notifications.show({ color: 'green', message: t('profile.saved') });
      },
      (err: unknown) => applyFieldErrors(form, err, tc),
    );
  });

  const field = (path: string) => form.getInputProps(path);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('profile.firstName')} autoComplete="given-name" required maxLength={NAME_MAX} {...field('firstName')} />
          <TextInput label={t('profile.lastName')} autoComplete="family-name" required maxLength={NAME_MAX} {...field('lastName')} />
          <TextInput
            label={t('profile.login')}
            description={actingAs ? undefined : t('profile.loginHint')} {...HINT}
            type="email"
            autoComplete="username"
            required
            maxLength={EMAIL_MAX}
            disabled={actingAs}
            {...field('login')}
          />
          <TextInput
            label={t('profile.notificationEmail')}
            description={actingAs ? undefined : t('profile.notificationHint')} {...HINT}
            placeholder={me.login}
            type="email"
            autoComplete="email"
            maxLength={EMAIL_MAX}
            disabled={actingAs}
            {...field('notificationEmail')}
          />
          <TextInput label={t('profile.phone')} type="tel" autoComplete="tel" maxLength={30} {...field('phone')} />
          <NativeSelect
            label={t('profile.locale')}
            description={t('profile.localeHint')} {...HINT}
            data={LANGUAGES.map((l) => ({ value: l, label: tc(`language.${l}`) }))}
            {...field('locale')}
          />
        </SimpleGrid>
        <Fieldset legend={t('profile.address')}>
          <Stack gap="sm">
            <TextInput label={t('profile.line1')} description={t('profile.addressHint')} {...HINT} autoComplete="address-line1" maxLength={200} {...field('address.line1')} />
            <TextInput label={t('profile.line2')} autoComplete="address-line2" maxLength={200} {...field('address.line2')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('profile.postalCode')} autoComplete="postal-code" maxLength={20} {...field('address.postalCode')} />
              <TextInput label={t('profile.city')} autoComplete="address-level2" maxLength={100} {...field('address.city')} />
              <TextInput label={t('profile.state')} autoComplete="address-level1" maxLength={100} {...field('address.state')} />
              <TextInput label={t('profile.country')} description={t('profile.countryHint')} {...HINT} autoComplete="country" maxLength={2} {...field('address.country')} />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <div>
          <Button type="submit" loading={edit.isPending} disabled={!form.isDirty()}>
            {t('profile.save')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
