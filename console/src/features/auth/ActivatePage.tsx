import { Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { LinkExpired } from './LinkExpired';
import { NewPasswordFields, newPasswordRules, passwordFieldError, type NewPasswordValues } from './password';
import { PublicLayout } from './PublicLayout';
import { useActivate, useSignInAs } from './queries';
import { Notice } from './Notice';

/**
 * The emailed invitation (`/activate?token=`): the new user chooses a password, which makes it
 * `ready`; the console then signs in with it. A used or expired link (410) says to ask the
 * admin for a new activation email.
 */
export function ActivatePage() {
  const { t } = useTranslation('auth');
  const { t: te } = useTranslation('errors');
  const { token } = useSearch({ from: '/activate' });
  const activate = useActivate();
  const signInAs = useSignInAs();
  const [busy, setBusy] = useState(false);
  const [signInFailed, setSignInFailed] = useState(false);
  const form = useForm<NewPasswordValues>({ initialValues: { password: '', confirm: '' }, validate: newPasswordRules(te) });
  const expired = activate.error instanceof ApiError && activate.error.status === 410;
  const fieldError = passwordFieldError(activate.error, te, 'password');

  const submit = form.onSubmit(async ({ password }) => {
    setBusy(true);
    try {
      const user = await activate.mutateAsync({ token, password });
      await signInAs(user.login, password).catch(() => setSignInFailed(true));
    } catch (err) {
      const message = passwordFieldError(err, te, 'password');
      if (message) form.setFieldError('password', message);
    } finally {
      setBusy(false);
    }
  });

  return (
    <PublicLayout>
      <Paper withBorder p="lg" radius="md" component="main">
        <Stack>
          <Title order={1} size="h2">
            {t('activate.title')}
          </Title>
          {!token ? (
            <Notice color="yellow" role="alert">
              {t('link.missing')}
            </Notice>
          ) : expired ? (
            <LinkExpired title={t('activate.expiredTitle')} to="/login" action={t('link.toSignIn')}>
              {t('activate.expired')}
            </LinkExpired>
          ) : signInFailed ? (
            <Stack>
              <Notice color="blue" role="status">
                {t('link.signInFailed')}
              </Notice>
              <Anchor component={Link} to="/login">
                {t('link.toSignIn')}
              </Anchor>
            </Stack>
          ) : (
            <form onSubmit={submit} noValidate>
              <Stack>
                <Text size="sm">{t('activate.intro')}</Text>
                {fieldError ? null : <ErrorAlert error={activate.error} />}
                <NewPasswordFields form={form} />
                <Button type="submit" loading={busy}>
                  {t('activate.submit')}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </PublicLayout>
  );
}
