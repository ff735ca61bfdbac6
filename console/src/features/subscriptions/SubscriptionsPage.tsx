import { Badge, Button, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { personaOf, useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { AnchorLink } from '../../ui/links';
import { AccountScope } from '../customers/AccountScope';
import { StatusBadge } from './labels';
import { SUBSCRIPTION_STATUSES, useDomains, useSubscriptions, type SubscriptionStatus } from './queries';

/**
 * The inventory: every subscription in scope with its filters (status, domain) kept in the
 * address. Staff open one customer's with `?accountId=`.
 */
export function SubscriptionsPage() {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const search = useSearch({ from: '/app/subscriptions' });
  const navigate = useNavigate({ from: '/subscriptions' });
  const me = useMe();
  const isCustomerAdmin = me.data ? personaOf(me.data) === 'customerAdmin' : false;
  const status = SUBSCRIPTION_STATUSES.includes(search.status as SubscriptionStatus) ? (search.status as SubscriptionStatus) : undefined;
  const accountId = search.accountId;
  const subs = useSubscriptions({ accountId, status, domainId: search.domainId });
  // The domain filter needs the account's domains: a customer's admins read their own, staff those of the customer opened.
  const domainsOf = isCustomerAdmin ? me.data?.accountId : me.data && me.data.accountType !== 'customer' ? accountId : undefined;
  const domains = useDomains(domainsOf);
  const items = subs.data?.pages.flatMap((p) => p.items) ?? [];

  const setFilter = (next: { status?: string; domainId?: string }) => void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });

  return (
    <>
      <PageHeader title={t('list.title')} />
      <AccountScope accountId={accountId} />
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('list.filterStatus')}
            value={status ?? ''}
            onChange={(v) => setFilter({ status: v || undefined })}
            data={[{ value: '', label: t('list.all') }, ...SUBSCRIPTION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
            allowDeselect={false}
          />
          {domainsOf ? (
            <Select
              label={t('list.filterDomain')}
              value={search.domainId ?? ''}
              onChange={(v) => setFilter({ domainId: v || undefined })}
              data={[{ value: '', label: t('list.allDomains') }, ...(domains.data?.items ?? []).map((d) => ({ value: d.id, label: d.domain }))]}
              allowDeselect={false}
              searchable
            />
          ) : null}
        </SimpleGrid>
        <ErrorAlert error={subs.error ?? domains.error} />
        {subs.isPending ? (
          <Stack>
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} h={32} />
            ))}
          </Stack>
        ) : items.length === 0 && !subs.error ? (
          <Text>{t('list.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table striped highlightOnHover aria-label={t('list.tableLabel')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.product')}</Table.Th>
                  <Table.Th>{t('list.domain')}</Table.Th>
                  <Table.Th ta="right">{t('list.quantity')}</Table.Th>
                  <Table.Th ta="right">{t('list.assigned')}</Table.Th>
                  <Table.Th>{t('list.status')}</Table.Th>
                  <Table.Th>{t('list.termEnd')}</Table.Th>
                  <Table.Th>{t('list.autoRenew')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <Stack gap={2} align="flex-start">
                        <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: s.id }}>
                          {s.name}
                        </AnchorLink>
                        {s.selfService ? (
                          <Badge variant="outline" color="gray.8" size="sm">
                            {t('list.selfServiceBy', { name: s.buyer.name })}
                          </Badge>
                        ) : null}
                      </Stack>
                    </Table.Td>
                    <Table.Td>{s.domain}</Table.Td>
                    <Table.Td ta="right">{f.number(s.quantity)}</Table.Td>
                    <Table.Td ta="right">{f.number(s.assignedCount)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={s.status} />
                    </Table.Td>
                    <Table.Td>{f.date(s.currentTermEnd)}</Table.Td>
                    <Table.Td>{s.autoRenew ? t('yes') : t('no')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {subs.hasNextPage ? (
          <Group>
            <Button variant="default" onClick={() => void subs.fetchNextPage()} loading={subs.isFetchingNextPage}>
              {t('actions.loadMore', { ns: 'common' })}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </>
  );
}
