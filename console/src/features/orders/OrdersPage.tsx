import { Anchor, Button, Group, Select, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { OrderStatusBadge } from './OrderStatusBadge';
import { ORDER_STATUSES, useOrders, type OrderStatus } from './queries';
import { readable } from '../shop/readable';

/** The orders of the account (staff: of their scope) with number, type, status, total and date; filtered by status and dates. */
export function OrdersPage() {
  const { t, i18n } = useTranslation('orders');
  const f = useFormat();
  const calendarLabels = {
    nextMonth: t('calendar.nextMonth'),
    previousMonth: t('calendar.previousMonth'),
    nextYear: t('calendar.nextYear'),
    previousYear: t('calendar.previousYear'),
    nextDecade: t('calendar.nextDecade'),
    previousDecade: t('calendar.previousDecade'),
    monthLevelControl: t('calendar.monthLevel'),
    yearLevelControl: t('calendar.yearLevel'),
    clearButtonLabel: t('calendar.clear'),
  };
  const search = useSearch({ from: '/app/orders' });
  const navigate = useNavigate({ from: '/orders' });
  const status = ORDER_STATUSES.includes(search.status as OrderStatus) ? (search.status as OrderStatus) : undefined;
  const orders = useOrders({ status, from: search.from, to: search.to });
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<typeof search>) => void navigate({ search: (s) => ({ ...s, ...patch }), replace: true });

  return (
    <Stack style={readable}>
      <PageHeader title={t('list.title')} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Select
          label={t('list.statusFilter')}
          data={[{ value: '', label: t('list.allStatuses') }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          value={status ?? ''}
          onChange={(v) => set({ status: v || undefined })}
          allowDeselect={false}
        />
        <DatesProvider settings={{ locale: i18n.language }}>
          <DatePickerInput label={t('list.from')} value={search.from ?? null} onChange={(v) => set({ from: v ? String(v).slice(0, 10) : undefined })} clearable maxDate={search.to} valueFormat="D MMM YYYY" ariaLabels={calendarLabels} />
          <DatePickerInput label={t('list.to')} value={search.to ?? null} onChange={(v) => set({ to: v ? String(v).slice(0, 10) : undefined })} clearable minDate={search.from} valueFormat="D MMM YYYY" ariaLabels={calendarLabels} />
        </DatesProvider>
      </SimpleGrid>
      <ErrorAlert error={orders.error} />
      {orders.isPending ? (
        <Skeleton h={200} />
      ) : items.length === 0 ? (
        <Text role="status">{t('list.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t('list.table')} verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.number')}</Table.Th>
                <Table.Th>{t('list.type')}</Table.Th>
                <Table.Th>{t('list.status')}</Table.Th>
                <Table.Th ta="right">{t('list.total')}</Table.Th>
                <Table.Th>{t('list.date')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/orders/${o.id}`} fw={500}>
                      {o.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`type.${o.type}`)}</Table.Td>
                  <Table.Td>
                    <OrderStatusBadge status={o.status} />
                  </Table.Td>
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
