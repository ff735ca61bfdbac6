import { Button, Center, Group, Loader, NativeSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback, useDisclosure } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import type { AccountsSearch } from '../../routes/customers';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from '../users/contrast';
import { AccountsTable } from './AccountsTable';
import { NewAccountModal } from './NewAccountModal';
import { ACCOUNT_STATUSES, useAccounts, useAllAccounts, type AccountStatus, type ChildType } from './queries';

/** Operations > Customers: the customers below the caller's account (the distributor's include its resellers'). */
export function CustomersPage() {
  const search = useSearch({ from: '/app/customers' });
  const navigate = useNavigate({ from: '/customers' });
  return <AccountsList type="customer" search={search} setSearch={(next) => void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true })} />;
}

/** The distributor's resellers. */
export function ResellersPage() {
  const search = useSearch({ from: '/app/resellers' });
  const navigate = useNavigate({ from: '/resellers' });
  return <AccountsList type="reseller" search={search} setSearch={(next) => void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true })} />;
}

/**
 * Accounts of one type, searched by name and filtered by status (and, for the distributor's
 * customers, by reseller) on the server, all kept in the address; 50 at a time. Staff admins
 * create one here ("New customer", "New reseller").
 */
function AccountsList({ type, search, setSearch }: { type: ChildType; search: AccountsSearch; setSearch: (next: AccountsSearch) => void }) {
  const { t } = useTranslation('customers');
  const me = useMe();
  const isDistributor = me.data?.accountType === 'distributor';
  const isAdmin = me.data?.role === 'admin';
  const status = ACCOUNT_STATUSES.includes(search.status as AccountStatus) ? (search.status as AccountStatus) : undefined;
  const byReseller = type === 'customer' && isDistributor;
  const parentId = byReseller ? search.parentId : undefined;
  const q = search.q?.trim() || undefined;
  const accounts = useAccounts(type, { status, parentId, q });
  const resellers = useAllAccounts('reseller', byReseller);
  const [creating, { open, close }] = useDisclosure(false);
  const items = useMemo(() => accounts.data?.pages.flatMap((p) => p.items) ?? [], [accounts.data]);

  // The box answers every key at once; the address (and the request) follows a pause in typing.
  const [text, setText] = useState(search.q ?? '');
  const pushed = useRef(search.q ?? '');
  const pushQ = useDebouncedCallback((value: string) => {
    pushed.current = value;
    setSearch({ q: value.trim() ? value : undefined });
  }, 300);
  useEffect(() => {
    // The address changed from elsewhere (the navigation, back): the box shows it.
    if ((search.q ?? '') !== pushed.current) {
      pushed.current = search.q ?? '';
      setText(search.q ?? '');
    }
  }, [search.q]);

  const resellerNames = useMemo(() => new Map((resellers.data ?? []).map((r) => [r.id, r.name])), [resellers.data]);
  const parentName = byReseller
    ? (a: { parentId: string | null }) => {
        if (!a.parentId || a.parentId === me.data?.accountId) return 'direct' as const;
        const name = resellerNames.get(a.parentId);
        return name ? { id: a.parentId, name } : undefined;
      }
    : undefined;

  const title = type === 'customer' ? t('list.customersTitle') : t('list.resellersTitle');
  const canCreate = isAdmin && (type === 'customer' || isDistributor);
  return (
    <>
      <PageHeader title={title}>
        {canCreate ? <Button onClick={open}>{type === 'customer' ? t('list.newCustomer') : t('list.newReseller')}</Button> : null}
      </PageHeader>
      <Stack gap="md" style={readable}>
        <SimpleGrid cols={{ base: 1, sm: byReseller ? 3 : 2 }}>
          <TextInput
            label={t('list.search')}
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              pushQ(e.currentTarget.value);
            }}
          />
          <NativeSelect
            label={t('list.statusFilter')}
            value={status ?? ''}
            onChange={(e) => setSearch({ status: e.currentTarget.value || undefined })}
            data={[{ value: '', label: t('list.allStatuses') }, ...ACCOUNT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          />
          {byReseller ? (
            <Select
              label={t('list.resellerFilter')}
              value={parentId ?? ''}
              onChange={(v) => setSearch({ parentId: v || undefined })}
              data={[
                { value: '', label: t('list.allResellers') },
                ...(me.data ? [{ value: me.data.accountId, label: t('list.directOnly') }] : []),
                ...(resellers.data ?? []).map((r) => ({ value: r.id, label: r.name })),
              ]}
              allowDeselect={false}
              searchable
              nothingFoundMessage={t('list.noReseller')}
            />
          ) : null}
        </SimpleGrid>
        <ErrorAlert error={accounts.error ?? resellers.error} />
        {accounts.isPending && !accounts.error ? (
          <Center p="xl">
            <Loader aria-label={t('state.loading', { ns: 'common' })} />
          </Center>
        ) : null}
        {accounts.data ? (
          items.length ? (
            <AccountsTable type={type} accounts={items} parentName={parentName} />
          ) : (
            <Text role="status">{type === 'customer' ? t('list.emptyCustomers') : t('list.emptyResellers')}</Text>
          )
        ) : null}
        {accounts.hasNextPage ? (
          <Group>
            <Button variant="default" onClick={() => void accounts.fetchNextPage()} loading={accounts.isFetchingNextPage}>
              {t('actions.loadMore', { ns: 'common' })}
            </Button>
          </Group>
        ) : null}
      </Stack>
      {canCreate ? <NewAccountModal type={type} opened={creating} onClose={close} /> : null}
    </>
  );
}
