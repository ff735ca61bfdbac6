import { Alert, Anchor, Button, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { session } from '../../api/session';
import { setLanguage } from '../../i18n';
import { ErrorAlert } from '../../ui/errors';
import { PublicLayout } from './PublicLayout';

export function LoginPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const search = useSearch({ from: '/login' });
  const form = useForm({
    initialValues: { login: '', password: '' },
    validate: {
      login: (v) => (v.trim() ? null : t('field.required', { ns: 'errors' })),
      password: (v) => (v ? null : t('field.required', { ns: 'errors' })),
    },
  });
  const signIn = useMutation({
    mutationFn: (values: { login: string; password: string }) => unwrap(api.POST('/v1/auth/login', { body: { login: values.login.trim(), password: values.password } })),
    onSuccess: async (data) => {
      session.set(data);
      setLanguage(data.user.locale);
      const next = search.next && search.next.startsWith('/') && !search.next.startsWith('//') ? search.next : '/';
      await navigate({ href: next });
    },
  });

  return (
    <PublicLayout>
      <Paper withBorder p="lg" radius="md" component="main">
        <form onSubmit={form.onSubmit((v) => signIn.mutate(v))} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('login.title')}
            </Title>
            {search.expired ? (
              <Alert color="yellow" role="status">
                {t('session.expired', { ns: 'common' })}
              </Alert>
            ) : null}
            <ErrorAlert error={signIn.error} />
            <TextInput label={t('login.login')} type="email" autoComplete="username" required {...form.getInputProps('login')} />
            <PasswordInput label={t('login.password')} autoComplete="current-password" required {...form.getInputProps('password')} />
            <Button type="submit" loading={signIn.isPending}>
              {t('login.submit')}
            </Button>
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t('login.forgot')}
            </Anchor>
          </Stack>
        </form>
      </Paper>
    </PublicLayout>
  );
}
