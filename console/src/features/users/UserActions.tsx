import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { session } from '../../api/session';
import { ErrorAlert } from '../../ui/errors';
import { EditUserDrawer } from './EditUserDrawer';
import { useDeleteUser, useLogInAs, useUserAction, type User } from './queries';
import { SetPasswordModal } from './SetPasswordModal';

/**
 * What an admin does to a user, offered only where the user's status allows it: edit, set the
 * password, resend the activation email (not activated), activate (from locked, deactivated or
 * not activated), deactivate, log in as (a ready user), delete. Under "log in as" the session
 * cannot set passwords nor log in as someone else, so those are not offered.
 */
export function UserActions({ user, actingAs }: { user: User; actingAs: boolean }) {
  const { t } = useTranslation('users');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  // Staff on a customer's user go back to that customer's users.
  const listSearch = me.data && user.accountId !== me.data.accountId ? { accountId: user.accountId } : {};
  const action = useUserAction(user);
  const remove = useDeleteUser(user);
  const logInAs = useLogInAs();
  const [editing, edit] = useDisclosure(false);
  const [settingPassword, password] = useDisclosure(false);
  const name = `${user.firstName} ${user.lastName}`;
  const busy = action.isPending || remove.isPending || logInAs.isPending;

  const activate = () => action.mutate('activate', { onSuccess: () => notifications.show({ color: 'green', message: t('actions.activated', { name }) }) });
  const resend = () => action.mutate('activation-email', { onSuccess: () => notifications.show({ color: 'green', message: t('actions.resent', { email: user.login }) }) });
  const deactivate = () =>
    modals.openConfirmModal({
      title: t('actions.deactivateTitle', { name }),
      children: <Text size="sm">{t('actions.deactivateBody')}</Text>,
      labels: { confirm: t('actions.deactivate'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: 'red' },
      onConfirm: () => action.mutate('deactivate', { onSuccess: () => notifications.show({ color: 'green', message: t('actions.deactivated', { name }) }) }),
    });
  const del = () =>
    modals.openConfirmModal({
      title: t('actions.deleteTitle', { name }),
      children: <Text size="sm">{t('actions.deleteBody')}</Text>,
      labels: { confirm: t('actions.delete'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(undefined, {
          onSuccess: async () => {
            notifications.show({ color: 'green', message: t('actions.deleted', { name }) });
            await navigate({ to: '/users', search: listSearch });
          },
        }),
    });
  const impersonate = () =>
    logInAs.mutate(user.id, {
      onSuccess: async (data) => {
        // The admin's own session waits aside: the banner's way back returns to it.
        session.set({ ...data, returnTo: session.get() });
        queryClient.clear();
        await navigate({ to: '/' });
      },
    });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={t('actions.label')}>
      <Stack gap="sm">
        <Group gap="sm">
          <Button onClick={edit.open} disabled={busy}>
            {t('actions.edit')}
          </Button>
          {actingAs ? null : (
            <Button variant="default" onClick={password.open} disabled={busy}>
              {t('actions.setPassword')}
            </Button>
          )}
          {user.status === 'not_activated' ? (
            <Button variant="default" onClick={resend} disabled={busy} loading={action.isPending && action.variables === 'activation-email'}>
              {t('actions.resendActivation')}
            </Button>
          ) : null}
          {user.status !== 'ready' ? (
            <Button variant="default" onClick={activate} disabled={busy} loading={action.isPending && action.variables === 'activate'}>
              {t('actions.activate')}
            </Button>
          ) : null}
          {user.status !== 'deactivated' ? (
            <Button variant="default" onClick={deactivate} disabled={busy} loading={action.isPending && action.variables === 'deactivate'}>
              {t('actions.deactivate')}
            </Button>
          ) : null}
          {user.status === 'ready' && !actingAs ? (
            <Button variant="default" onClick={impersonate} disabled={busy} loading={logInAs.isPending}>
              {t('actions.logInAs')}
            </Button>
          ) : null}
          <Button color="red" variant="outline" onClick={del} disabled={busy} loading={remove.isPending}>
            {t('actions.delete')}
          </Button>
        </Group>
        <ErrorAlert error={action.error} />
        <ErrorAlert error={remove.error} />
        <ErrorAlert error={logInAs.error} />
      </Stack>
      <EditUserDrawer user={user} opened={editing} onClose={edit.close} />
      <SetPasswordModal user={user} opened={settingPassword} onClose={password.close} />
    </Paper>
  );
}
