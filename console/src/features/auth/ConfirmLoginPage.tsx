import { Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/me';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { LinkExpired } from './LinkExpired';
import { PublicLayout } from './PublicLayout';
import { useConfirmLogin } from './queries';
import { Notice } from './Notice';

/**
 * The link a user gets at a new address after changing its own login (`/confirm-login?token=`).
 * It applies the change with one click (never on its own: mail scanners open links too), then
 * says which login to sign in with; a link that is used, expired or replaced (410) or an address
 * taken meanwhile (409) says what to do instead.
 */
export function ConfirmLoginPage() {
  const { t } = useTranslation('auth');
  const { token } = useSearch({ from: '/confirm-login' });
  const signedIn = useSession();
  const confirm = useConfirmLogin();
  const err = confirm.error instanceof ApiError ? confirm.error : undefined;
  const next = signedIn ? { to: '/profile' as const, action: t('confirmLogin.toProfile') } : { to: '/login' as const, action: t('link.toSignIn') };

  let body;
  if (!token) {
    body = <LinkExpired title={t('link.missing')} {...next} />;
  } else if (confirm.isSuccess) {
    body = (
      <Stack>
        <Notice color="green" role="status" title={t('confirmLogin.doneTitle')}>
          {t('confirmLogin.done', { login: confirm.data.login })}
        </Notice>
        <Anchor component={Link} to={next.to}>
          {next.action}
        </Anchor>
      </Stack>
    );
  } else if (err?.status === 410) {
    body = (
      <LinkExpired title={t('confirmLogin.expiredTitle')} {...next}>
        {t('confirmLogin.expired')}
      </LinkExpired>
    );
  } else if (err?.code === 'login_taken') {
    body = (
      <LinkExpired title={t('code.login_taken', { ns: 'errors' })} {...next}>
        {t('confirmLogin.taken')}
      </LinkExpired>
    );
  } else {
    body = (
      <Stack>
        <Text size="sm">{t('confirmLogin.intro')}</Text>
        <ErrorAlert error={confirm.error} />
        <Button onClick={() => confirm.mutate(token)} loading={confirm.isPending}>
          {t('confirmLogin.submit')}
        </Button>
      </Stack>
    );
  }

  return (
    <PublicLayout>
      <Paper withBorder p="lg" radius="md" component="main">
        <Stack>
          <Title order={1} size="h2">
            {t('confirmLogin.title')}
          </Title>
          {body}
        </Stack>
      </Paper>
    </PublicLayout>
  );
}
