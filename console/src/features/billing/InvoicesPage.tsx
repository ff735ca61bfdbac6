import { Button, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useNavigate, useSearch } from '@tanstack/react-router';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { useTranslation } from 'react-i18next';
import { useCalendarLabels } from '../../ui/calendar';
import { AnchorLink } from '../../ui/links';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { AccountScope } from '../customers/AccountScope';
import { InvoiceStatusBadge } from './InvoiceStatusBadge';
import { INVOICE_STATUSES, useInvoices, type InvoiceStatus } from './queries';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** From `months` months ago to today, in the user's calendar. */
export function lastMonths(months: number, now = new Date()): { from: string; to: string } {
  const from = new Date(now.getFullYear(), now.getMonth() - months, now.getDate());
  return { from: iso(from), to: iso(now) };
}

/**
 * The account's invoices issued in a date range (the last 3 months unless chosen), by status.
 * Staff open one customer's with `?accountId=`.
 */
export function InvoicesPage() {
  const { t, i18n } = useTranslation('billing');
  const calendarLabels = useCalendarLabels();
  const fmt = useFormat();
  const navigate = useNavigate({ from: '/billing/invoices' });
  const search = useSearch({ from: '/app/billing/invoices' });
  const fallback = lastMonths(3);
  const from = search.from && DAY.test(search.from) ? search.from : fallback.from;
  const to = search.to && DAY.test(search.to) ? search.to : fallback.to;
  const status = (INVOICE_STATUSES as string[]).includes(search.status ?? '') ? (search.status as InvoiceStatus) : undefined;
  const accountId = search.accountId;
  const invoices = useInvoices({ accountId, from, to, status });
  const items = invoices.data?.pages.flatMap((p) => p.items) ?? [];
  const setSearch = (next: { from?: string; to?: string; status?: string }) => void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });

  return (
    <Stack>
      <PageHeader title={t('invoices.title')}>
        {/* The payment methods are the caller's own: not offered on a customer's invoices. */}
        {accountId ? null : <AnchorLink to="/billing/payment-methods">{t('invoices.paymentMethodsLink')}</AnchorLink>}
      </PageHeader>
      <AccountScope accountId={accountId} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <DatesProvider settings={{ locale: i18n.language }}>
          <DatePickerInput
            type="range"
            label={t('invoices.range')}
            value={[from, to]}
            allowSingleDateInRange
            maxDate={lastMonths(0).to}
            onChange={([start, end]) => {
              if (start && end) setSearch({ from: String(start).slice(0, 10), to: String(end).slice(0, 10) });
            }}
            valueFormat="D MMM YYYY"
            ariaLabels={calendarLabels}
          />
        </DatesProvider>
        <Select
          label={t('invoices.status')}
          data={[{ value: 'all', label: t('invoices.allStatuses') }, ...INVOICE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          value={status ?? 'all'}
          onChange={(v) => setSearch({ status: v && v !== 'all' ? v : undefined })}
          allowDeselect={false}
        />
      </SimpleGrid>
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={() => setSearch(lastMonths(3))}>
          {t('invoices.last3')}
        </Button>
        <Button variant="default" size="xs" onClick={() => setSearch(lastMonths(6))}>
          {t('invoices.last6')}
        </Button>
        <Button variant="default" size="xs" onClick={() => setSearch(lastMonths(12))}>
          {t('invoices.last12')}
        </Button>
      </Group>
      <ErrorAlert error={invoices.error} />
      <Table.ScrollContainer minWidth={560}>
        <Table striped highlightOnHover aria-label={t('invoices.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('invoice.number')}</Table.Th>
              <Table.Th>{t('invoice.issued')}</Table.Th>
              <Table.Th>{t('invoice.due')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('invoice.total')}</Table.Th>
              <Table.Th>{t('invoice.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((inv) => (
              <Table.Tr key={inv.id}>
                <Table.Td>
                  <AnchorLink to="/billing/invoices/$invoiceId" params={{ invoiceId: inv.id }}>
                    {inv.number}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>{fmt.date(inv.issuedAt)}</Table.Td>
                <Table.Td>{fmt.date(inv.dueAt)}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>{fmt.money(inv.total)}</Table.Td>
                <Table.Td>
                  <InvoiceStatusBadge status={inv.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {invoices.isPending ? <Text>{t('state.loading', { ns: 'common' })}</Text> : null}
      {invoices.isSuccess && items.length === 0 ? <Text>{t('invoices.empty')}</Text> : null}
      {invoices.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void invoices.fetchNextPage()} loading={invoices.isFetchingNextPage}>
            {t('actions.loadMore', { ns: 'common' })}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
