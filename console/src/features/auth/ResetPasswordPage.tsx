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
import { useConfirmReset, useSignInAs } from './queries';
import { Notice } from './Notice';

/**
 * The emailed reset link (`/reset-password?token=`, asked for or sent with a lock): a new
 * password, which also unlocks the user; the console then signs in with it. A used or expired
 * link (410) offers to ask for a new one.
 */
export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const { t: te } = useTranslation('errors');
  const { token } = useSearch({ from: '/reset-password' });
  const reset = useConfirmReset();
  const signInAs = useSignInAs();
  const [busy, setBusy] = useState(false);
  const [signInFailed, setSignInFailed] = useState(false);
  const form = useForm<NewPasswordValues>({ initialValues: { password: '', confirm: '' }, validate: newPasswordRules(te) });
  const expired = reset.error instanceof ApiError && reset.error.status === 410;
  const fieldError = passwordFieldError(reset.error, te, 'password');

  const submit = form.onSubmit(async ({ password }) => {
    setBusy(true);
    try {
      const user = await reset.mutateAsync({ token, password });
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
            {t('reset.title')}
          </Title>
          {!token ? (
            <LinkExpired title={t('link.missing')} to="/forgot-password" action={t('reset.askAgain')} />
          ) : expired ? (
            <LinkExpired title={t('reset.expiredTitle')} to="/forgot-password" action={t('reset.askAgain')}>
              {t('reset.expired')}
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
                <Text size="sm">{t('reset.intro')}</Text>
                {fieldError ? null : <ErrorAlert error={reset.error} />}
                <NewPasswordFields form={form} />
                <Button type="submit" loading={busy}>
                  {t('reset.submit')}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </PublicLayout>
  );
}
