import { Button, Group, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useNavigate, useSearch } from '@tanstack/react-router';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { useCalendarLabels } from '../../ui/calendar';
import { AnchorLink } from '../../ui/links';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { AccountScope } from '../customers/AccountScope';
import { ExportButton } from './ExportModal';
import { InvoiceStatusBadge } from './InvoiceStatusBadge';
import { INVOICE_STATUSES, useInvoicePdf, useInvoices, type InvoiceStatus } from './queries';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** From `months` months ago to today, in the user's calendar. */
export function lastMonths(months: number, now = new Date()): { from: string; to: string } {
  const from = new Date(now.getFullYear(), now.getMonth() - months, now.getDate());
  return { from: iso(from), to: iso(now) };
}

/**
 * The account's invoices issued in a date range (the last 3 months unless chosen), by status, each
 * with its PDF; the CSV export of their lines. Staff open one customer's with `?accountId=`, and
 * without it read every invoice in their scope, each naming its customer.
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
  const me = useMe();
  const staff = !!me.data && me.data.accountType !== 'customer';
  // Staff without ?accountId= read every invoice in their scope: each row names its customer.
  const everyCustomer = staff && !accountId;
  // The distributor's list holds its resellers' invoices too (each numbered in its seller's series): each row names its seller.
  const bySeller = everyCustomer && me.data?.accountType === 'distributor';
  const pdf = useInvoicePdf();
  const setSearch = (next: { from?: string; to?: string; status?: string }) => void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });

  return (
    <Stack>
      <PageHeader title={t('invoices.title')}>
        {/* The payment methods are the caller's own: not offered on a customer's invoices. */}
        {accountId ? null : <AnchorLink to="/billing/payment-methods">{t('invoices.paymentMethodsLink')}</AnchorLink>}
        {me.data ? <ExportButton accountId={accountId} scope={accountId ? 'account' : everyCustomer ? 'all' : 'own'} /> : null}
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
      <ErrorAlert error={pdf.error} title={pdf.variables ? t('invoice.pdfFailed', { number: pdf.variables.number }) : undefined} />
      <Table.ScrollContainer minWidth={bySeller ? 900 : everyCustomer ? 760 : 620} type="native" tabIndex={0} role="region" aria-label={t('invoices.tableLabel')}>
        <Table striped highlightOnHover aria-label={t('invoices.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('invoice.number')}</Table.Th>
              {everyCustomer ? <Table.Th>{t('invoices.customer')}</Table.Th> : null}
              {bySeller ? <Table.Th>{t('invoices.seller')}</Table.Th> : null}
              <Table.Th>{t('invoice.issued')}</Table.Th>
              <Table.Th>{t('invoice.due')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('invoice.total')}</Table.Th>
              <Table.Th>{t('invoice.status')}</Table.Th>
              <Table.Th>{t('invoices.document')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((inv) => (
              <Table.Tr key={inv.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <AnchorLink to="/billing/invoices/$invoiceId" params={{ invoiceId: inv.id }}>
                    {inv.number}
                  </AnchorLink>
                  {inv.kind && inv.kind !== 'invoice' ? <Text size="xs">{t(`kind.${inv.kind}`)}</Text> : null}
                </Table.Td>
                {everyCustomer ? <Table.Td style={{ overflowWrap: 'anywhere' }}>{inv.buyer?.name ?? inv.accountId}</Table.Td> : null}
                {bySeller ? <Table.Td style={{ overflowWrap: 'anywhere' }}>{inv.seller?.name ?? t('state.none', { ns: 'common' })}</Table.Td> : null}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(inv.issuedAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(inv.dueAt)}</Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{fmt.money(inv.total)}</Table.Td>
                <Table.Td>
                  <InvoiceStatusBadge status={inv.status} />
                </Table.Td>
                <Table.Td>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    aria-label={t('invoices.pdfOf', { number: inv.number })}
                    onClick={() => pdf.mutate(inv)}
                    loading={pdf.isPending && pdf.variables?.id === inv.id}
                  >
                    {t('invoices.pdf')}
                  </Button>
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
