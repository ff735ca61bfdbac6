import { Button, Center, Group, Loader, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { AccountScope } from '../customers/AccountScope';
import { AddUsersModal } from './AddUsersModal';
import { readable } from './contrast';
import { ROLES, USER_STATUSES, useUsers, type Role, type User, type UserStatus } from './queries';
import { UsersTable } from './UsersTable';

/**
 * The account's users: searched by name or login (`?q=`, without case or accents) and filtered by
 * status and role on the server, a page of 50 at a time. Staff open a customer's users with
 * `?accountId=`; only admins add users.
 */
export function UsersPage() {
  const { t } = useTranslation('users');
  const me = useMe();
  const search = useSearch({ from: '/app/users' });
  const navigate = useNavigate({ from: '/users' });
  const status = USER_STATUSES.includes(search.status as UserStatus) ? (search.status as UserStatus) : undefined;
  const role = ROLES.includes(search.role as Role) ? (search.role as Role) : undefined;
  const accountId = search.accountId ?? me.data?.accountId;
  const canAdd = me.data?.role === 'admin';
  const q = search.q ?? '';
  // Asked once typing pauses, not at every key.
  const [typed] = useDebouncedValue(q.trim(), 250);
  const users = useUsers(accountId, { status, role, ...(typed ? { q: typed } : {}) });
  const [adding, { open, close }] = useDisclosure(false);

  const shown = useMemo<User[]>(() => users.data?.pages.flatMap((p) => p.items) ?? [], [users.data]);
  const setSearch = (next: { status?: string; role?: string; q?: string }) =>
    void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });

  return (
    <>
      <PageHeader title={t('list.title')}>
        {canAdd ? (
          <Button onClick={open} disabled={!accountId}>
            {t('list.add')}
          </Button>
        ) : null}
      </PageHeader>
      <AccountScope accountId={search.accountId} />
      <Stack gap="md" style={readable}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('list.search')}
            type="search"
            value={q}
            onChange={(e) => setSearch({ q: e.currentTarget.value || undefined })}
            maxLength={100}
          />
          <NativeSelect
            label={t('list.statusFilter')}
            value={status ?? ''}
            onChange={(e) => setSearch({ status: e.currentTarget.value || undefined })}
            data={[{ value: '', label: t('list.allStatuses') }, ...USER_STATUSES.map((s) => ({ value: s, label: t(`userStatus.${s}`, { ns: 'common' }) }))]}
          />
          <NativeSelect
            label={t('list.roleFilter')}
            value={role ?? ''}
            onChange={(e) => setSearch({ role: e.currentTarget.value || undefined })}
            data={[{ value: '', label: t('list.allRoles') }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`, { ns: 'common' }) }))]}
          />
        </SimpleGrid>
        <ErrorAlert error={users.error} />
        {users.isPending && !users.error ? (
          <Center p="xl">
            <Loader aria-label={t('state.loading', { ns: 'common' })} />
          </Center>
        ) : null}
        {users.data ? shown.length ? <UsersTable users={shown} /> : <Text>{t('list.empty')}</Text> : null}
        {users.hasNextPage ? (
          <Group>
            <Button variant="default" onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
              {t('list.loadMore')}
            </Button>
          </Group>
        ) : null}
      </Stack>
      {canAdd ? <AddUsersModal accountId={accountId} opened={adding} onClose={close} /> : null}
    </>
  );
}
