import { Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { UseMutationResult } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { Notice } from './Notice';
import { NewPasswordFields, newPasswordRules, passwordFieldError, type NewPasswordValues } from './password';
import { PublicLayout } from './PublicLayout';
import { useSignInAs } from './queries';

/**
 * A password chosen through an emailed link (activation or reset): the new password twice, then
 * the console signs in with it. What differs between the two links is their texts, what a missing
 * or used link offers, and the route they call (`setPassword`).
 */
export function PasswordFromLink(props: {
  token: string;
  setPassword: UseMutationResult<{ login: string }, Error, { token: string; password: string }>;
  texts: { title: string; intro: string; submit: string };
  /** What a link without a token shows. */
  missing: ReactNode;
  /** What a used or expired link (410) shows. */
  expired: ReactNode;
}) {
  const { t } = useTranslation('auth');
  const { t: te } = useTranslation('errors');
  const { token, setPassword, texts } = props;
  const signInAs = useSignInAs();
  const [busy, setBusy] = useState(false);
  const [signInFailed, setSignInFailed] = useState(false);
  const form = useForm<NewPasswordValues>({ initialValues: { password: '', confirm: '' }, validate: newPasswordRules(te) });
  const expired = setPassword.error instanceof ApiError && setPassword.error.status === 410;
  const fieldError = passwordFieldError(setPassword.error, te, 'password');

  const submit = form.onSubmit(async ({ password }) => {
    setBusy(true);
    try {
      const user = await setPassword.mutateAsync({ token, password });
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
            {texts.title}
          </Title>
          {!token ? (
            props.missing
          ) : expired ? (
            props.expired
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
                <Text size="sm">{texts.intro}</Text>
                {fieldError ? null : <ErrorAlert error={setPassword.error} />}
                <NewPasswordFields form={form} />
                <Button type="submit" loading={busy}>
                  {texts.submit}
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </PublicLayout>
  );
}
