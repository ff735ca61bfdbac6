import { Alert, Button, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { personaOf, useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink, ButtonLink } from '../../ui/links';
import { useCalendarLabels } from '../../ui/calendar';
import { PageHeader } from '../../ui/PageHeader';
import { useAccount } from '../domains/queries';
import { readable } from '../shop/readable';
import { OrderStatusBadge } from './OrderStatusBadge';
import { ORDER_STATUSES, useOrders, type Order, type OrderStatus } from './queries';

/** The queue's statuses first (what waits for someone), then the ended ones. */
const STAFF_STATUSES: OrderStatus[] = ['new', 'open', 'provisioning', 'failed', 'completed', 'cancelled'];

/**
 * The orders of the account with number, type, status, total and date, filtered by status and
 * dates. Staff see the queue of every customer in their scope (newest first) with the customer and
 * the gate each order waits at, or one customer's orders with `?accountId=`.
 */
export function OrdersPage() {
  const { t, i18n } = useTranslation('orders');
  const f = useFormat();
  const me = useMe();
  const persona = me.data ? personaOf(me.data) : undefined;
  const staff = persona === 'staffAdmin' || persona === 'staffUser';
  const calendarLabels = useCalendarLabels();
  const search = useSearch({ from: '/app/orders' });
  const navigate = useNavigate({ from: '/orders' });
  const status = ORDER_STATUSES.includes(search.status as OrderStatus) ? (search.status as OrderStatus) : undefined;
  const accountId = staff ? search.accountId : undefined;
  const account = useAccount(accountId);
  const orders = useOrders({ status, accountId, from: search.from, to: search.to });
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<typeof search>) => void navigate({ search: (s) => ({ ...s, ...patch }), replace: true });
  const customerName = account.data?.name ?? items[0]?.accountName ?? accountId;

  return (
    <Stack style={readable}>
      <PageHeader title={staff ? t('queue.title') : t('list.title')}>
        {accountId && persona === 'staffAdmin' ? (
          <ButtonLink to="/customers/$accountId/orders/new" params={{ accountId }}>
            {t('queue.place')}
          </ButtonLink>
        ) : null}
      </PageHeader>
      {staff ? <Text>{t('queue.intro')}</Text> : null}
      {accountId ? (
        <Alert color="blue" variant="light" role="status" title={t('queue.oneCustomer', { name: customerName })}>
          <Group gap="md">
            <AnchorLink to="/customers/$accountId" params={{ accountId }} size="sm">
              {t('queue.customerPage')}
            </AnchorLink>
            <AnchorLink to="/orders" search={{ status: search.status, from: search.from, to: search.to }} size="sm">
              {t('queue.allCustomers')}
            </AnchorLink>
          </Group>
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Select
          label={t('list.statusFilter')}
          data={[{ value: '', label: t('list.allStatuses') }, ...(staff ? STAFF_STATUSES : ORDER_STATUSES).map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          value={status ?? ''}
          onChange={(v) => set({ status: v || undefined })}
          allowDeselect={false}
        />
        <DatesProvider settings={{ locale: i18n.language }}>
          <DatePickerInput label={t('list.from')} value={search.from ?? null} onChange={(v) => set({ from: v ? String(v).slice(0, 10) : undefined })} clearable maxDate={search.to} valueFormat="D MMM YYYY" ariaLabels={calendarLabels} />
          <DatePickerInput label={t('list.to')} value={search.to ?? null} onChange={(v) => set({ to: v ? String(v).slice(0, 10) : undefined })} clearable minDate={search.from} valueFormat="D MMM YYYY" ariaLabels={calendarLabels} />
        </DatesProvider>
      </SimpleGrid>
      <ErrorAlert error={orders.error ?? account.error} />
      {orders.isPending ? (
        <Skeleton h={200} />
      ) : items.length === 0 ? (
        <Text role="status">{t('list.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={staff ? 860 : 640}>
          <Table aria-label={staff ? t('queue.table') : t('list.table')} verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.number')}</Table.Th>
                {staff ? null : <Table.Th>{t('list.type')}</Table.Th>}
                <Table.Th>{t('list.status')}</Table.Th>
                {staff ? <Table.Th>{t('queue.waitingAt')}</Table.Th> : null}
                {staff ? <Table.Th>{t('queue.customer')}</Table.Th> : null}
                {staff ? <Table.Th>{t('list.type')}</Table.Th> : null}
                <Table.Th ta="right">{t('list.total')}</Table.Th>
                <Table.Th>{t('list.date')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <AnchorLink to="/orders/$orderId" params={{ orderId: o.id }} fw={500}>
                      {o.number}
                    </AnchorLink>
                  </Table.Td>
                  {staff ? null : <Table.Td>{t(`type.${o.type}`)}</Table.Td>}
                  <Table.Td>
                    <OrderStatusBadge status={o.status} />
                  </Table.Td>
                  {staff ? (
                    <Table.Td>
                      <WaitingAt order={o} />
                    </Table.Td>
                  ) : null}
                  {staff ? (
                    <Table.Td>
                      {accountId ? (
                        <Text size="sm">{o.accountName ?? customerName}</Text>
                      ) : (
                        <AnchorLink to="/orders" search={{ ...search, accountId: o.accountId }} size="sm">
                          {o.accountName ?? o.accountId}
                        </AnchorLink>
                      )}
                    </Table.Td>
                  ) : null}
                  {staff ? <Table.Td>{t(`type.${o.type}`)}</Table.Td> : null}
                  <Table.Td ta="right">{f.money(o.total)}</Table.Td>
                  <Table.Td>{f.dateTime(o.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {orders.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
            {t('list.loadMore')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Staff: who the order waits for, in a word: gate 1, gate 2, the customer's partner acceptance, or Microsoft. */
function WaitingAt({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  if (order.waitingAt) return <Text size="sm" fw={600}>{t(`queue.gate.${order.waitingAt}`)}</Text>;
  if (order.status === 'provisioning') return <Text size="sm">{t('queue.gate.vendor')}</Text>;
  return <Text size="sm">—</Text>;
}
