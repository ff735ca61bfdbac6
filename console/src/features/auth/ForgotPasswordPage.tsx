import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { PublicLayout } from './PublicLayout';
import { useAskReset } from './queries';
import { Notice } from './Notice';

/**
 * Asks for a reset link (`POST /v1/auth/password-reset`). The answer is the same whether or not
 * the login exists, and so is the screen: nobody learns here which logins there are.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const ask = useAskReset();
  const form = useForm({
    initialValues: { login: '' },
    validate: { login: (v) => (v.trim() ? (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('field.email', { ns: 'errors' })) : t('field.required', { ns: 'errors' })) },
  });

  return (
    <PublicLayout>
      <Paper withBorder p="lg" radius="md" component="main">
        <Stack>
          <Title order={1} size="h2">
            {t('forgot.title')}
          </Title>
          {ask.isSuccess ? (
            <Notice color="green" role="status" title={t('forgot.sentTitle')}>
              {t('forgot.sent')}
            </Notice>
          ) : (
            <form onSubmit={form.onSubmit((v) => ask.mutate(v.login.trim()))} noValidate>
              <Stack>
                <Text size="sm">{t('forgot.intro')}</Text>
                <ErrorAlert error={ask.error} />
                <TextInput label={t('login.login')} type="email" autoComplete="username" required maxLength={254} {...form.getInputProps('login')} />
                <Button type="submit" loading={ask.isPending}>
                  {t('forgot.submit')}
                </Button>
              </Stack>
            </form>
          )}
          <Anchor component={Link} to="/login" size="sm">
            {t('forgot.back')}
          </Anchor>
        </Stack>
      </Paper>
    </PublicLayout>
  );
}
