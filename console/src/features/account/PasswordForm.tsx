import { Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import type { Me } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { NewPasswordFields, newPasswordRules, passwordFieldError } from '../auth/password';
import { useChangePassword } from './queries';
import { Notice } from '../auth/Notice';

interface Values {
  currentPassword: string;
  password: string;
  confirm: string;
}

/**
 * Changes the own password: the current one first (a wrong one is said on its field), then the
 * new one twice. The change signs out every other session; this one continues with the session
 * the API answers. Under "log in as" the password is the real user's to change: shown locked.
 */
export function PasswordForm({ me }: { me: Me }) {
  const { t } = useTranslation('account');
  const { t: te } = useTranslation('errors');
  const change = useChangePassword();
  const actingAs = me.actingAs !== null;
  const form = useForm<Values>({
    initialValues: { currentPassword: '', password: '', confirm: '' },
    validate: { currentPassword: (v) => (v ? null : te('field.required')), ...newPasswordRules(te, () => me.login) },
  });
  const onField = change.error instanceof ApiError && (change.error.code === 'current_password_incorrect' || passwordFieldError(change.error, te, 'newPassword'));

  const submit = form.onSubmit((v) =>
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.password },
      {
        onSuccess: () => form.reset(),
        onError: (err) => {
          if (err instanceof ApiError && err.code === 'current_password_incorrect') form.setFieldError('currentPassword', te('code.current_password_incorrect'));
          const message = passwordFieldError(err, te, 'newPassword');
          if (message) form.setFieldError('password', message);
        },
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {actingAs ? (
          <Notice color="gray" role="note">
            {t('password.actingAs')}
          </Notice>
        ) : null}
        {change.isSuccess ? (
          <Notice color="green" role="status">
            {t('password.changed')}
          </Notice>
        ) : null}
        {onField ? null : <ErrorAlert error={change.error} />}
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          required
          maxLength={1024}
          disabled={actingAs}
          {...form.getInputProps('currentPassword')}
        />
        <NewPasswordFields form={form} disabled={actingAs} />
        <div>
          <Button type="submit" loading={change.isPending} disabled={actingAs}>
            {t('password.submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
