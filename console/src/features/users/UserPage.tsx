import { Alert, Anchor, Center, Loader, Stack } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from './contrast';
import { LoginHistory } from './LoginHistory';
import { useUser } from './queries';
import { UserActions } from './UserActions';
import { UserDetails } from './UserDetails';

/**
 * One user: details, what an admin can do to them, and their login history (two requests). A
 * user of another account (staff on a customer's user) leads back to that account's users.
 */
export function UserPage() {
  const { t } = useTranslation('users');
  const { userId } = useParams({ from: '/app/users/$userId' });
  const me = useMe();
  const user = useUser(userId);
  const self = me.data?.id === userId;
  const isAdmin = me.data?.role === 'admin';
  const otherAccount = user.data && me.data && user.data.accountId !== me.data.accountId ? user.data.accountId : undefined;

  return (
    <Stack gap="md" style={readable}>
      <Anchor size="sm" renderRoot={(props) => <Link to="/users" search={otherAccount ? { accountId: otherAccount } : {}} {...props} />}>
        {t('detail.back')}
      </Anchor>
      {user.data ? (
        <>
          <PageHeader title={`${user.data.firstName} ${user.data.lastName}`} />
          <UserDetails user={user.data} />
          {self ? (
            <Alert color="blue" role="status">
              {t('detail.self')}
            </Alert>
          ) : isAdmin ? (
            <UserActions user={user.data} actingAs={!!me.data?.actingAs} />
          ) : null}
          <LoginHistory user={user.data} />
        </>
      ) : user.error ? (
        <>
          <PageHeader title={t('list.title')} />
          <ErrorAlert error={user.error} />
        </>
      ) : (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      )}
    </Stack>
  );
}
