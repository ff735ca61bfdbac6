import { Alert, Button, Group, Modal, Paper, Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { useMe } from '../../api/me';
import { AnchorLink } from '../../ui/links';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { AddCardForm } from './AddCardForm';
import { MarginsSection } from './FiguresTable';
import { InvoiceLines, InvoiceTotals, Parties } from './InvoiceDocument';
import { showsFigures, titleKey } from './format';
import { InvoiceStatusBadge } from './InvoiceStatusBadge';
import { cardLabel } from './cardLabel';
import { type Invoice, usePayInvoice, usePaymentMethods, useInvoice, useInvoicePdf } from './queries';
import './print.css';

/**
 * One invoice, credit note or statement as a finance team reads it: title by kind, number, issue
 * date, service period and due date, both parties with their legal fields, the lines with their
 * VAT rate, net, VAT per rate and gross, the tax mention, the invoice a credit note corrects and
 * what is still due. The PDF is the API's (downloaded with the session's token). The seller and
 * the accounts above it also see the lines' margins; the buyer pays an open invoice by card.
 */
export function InvoicePage() {
  const { t } = useTranslation('billing');
  const fmt = useFormat();
  const { invoiceId } = useParams({ from: '/app/billing/invoices/$invoiceId' });
  const invoice = useInvoice(invoiceId);
  const inv = invoice.data;
  const corrected = useInvoice(inv?.correctsInvoiceId);
  const pdf = useInvoicePdf();
  const open = inv?.status === 'unpaid' || inv?.status === 'overdue';

  return (
    <Stack>
      <PageHeader title={inv ? t(titleKey(inv.kind), { number: inv.number }) : t('invoice.titleLoading')} aside={inv ? <InvoiceStatusBadge status={inv.status} /> : undefined}>
        <Group gap="sm" data-print-hide>
          <AnchorLink to="/billing/invoices">{t('invoice.backToList')}</AnchorLink>
          {inv ? (
            <Button variant="default" onClick={() => pdf.mutate(inv)} loading={pdf.isPending}>
              {t('invoice.downloadPdf')}
            </Button>
          ) : null}
        </Group>
      </PageHeader>
      <ErrorAlert error={invoice.error} />
      <ErrorAlert error={pdf.error} title={inv ? t('invoice.pdfFailed', { number: inv.number }) : undefined} />
      {invoice.isPending ? <Text>{t('state.loading', { ns: 'common' })}</Text> : null}
      {inv ? (
        <>
          <Paper withBorder p="md" data-print-sheet>
            <Stack gap="md">
              <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing="sm">
                <Fact label={t('invoice.number')}>{inv.number}</Fact>
                <Fact label={t('invoice.issued')}>{fmt.date(inv.issuedAt)}</Fact>
                {inv.servicePeriod ? (
                  <Fact label={t('invoice.servicePeriod')}>{t('invoice.period', { start: fmt.date(inv.servicePeriod.start), end: fmt.date(inv.servicePeriod.end) })}</Fact>
                ) : null}
                <Fact label={t('invoice.due')}>{fmt.date(inv.dueAt)}</Fact>
                <Fact label={t('invoice.paidAt')}>{inv.paidAt ? fmt.dateTime(inv.paidAt) : t('invoice.notPaid')}</Fact>
                {inv.correctsInvoiceId ? (
                  <Fact label={t('invoice.corrects')}>
                    <AnchorLink to="/billing/invoices/$invoiceId" params={{ invoiceId: inv.correctsInvoiceId }}>
                      {corrected.data?.number ?? t('invoice.correctedInvoice')}
                    </AnchorLink>
                  </Fact>
                ) : null}
              </SimpleGrid>
              {open && inv.kind !== 'credit_note' ? <Text size="sm">{t('invoice.dueRule', { date: fmt.date(inv.dueAt) })}</Text> : null}
              {inv.status === 'overdue' ? (
                <Alert color="red" variant="light" role="status">
                  {t('invoice.overdueWarning')}
                </Alert>
              ) : null}
              <Parties invoice={inv} />
              <InvoiceLines invoice={inv} />
              <InvoiceTotals invoice={inv} />
              {inv.refund ? (
                <Text size="sm">
                  {inv.refund.refundedAt
                    ? t('invoice.refunded', { amount: fmt.money(inv.refund.amount), date: fmt.date(inv.refund.refundedAt) })
                    : t('invoice.refundPending', { amount: fmt.money(inv.refund.amount) })}
                </Text>
              ) : null}
            </Stack>
          </Paper>
          {showsFigures(inv.lines) ? <MarginsSection id="invoice-margins" rows={inv.lines.map((l, i) => ({ key: String(i), label: l.description, figures: l.figures }))} /> : null}
          {open && inv.kind !== 'credit_note' ? <PayInvoice invoice={inv} /> : null}
        </>
      ) : null}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

/** Choose one of the account's cards (or add one) and pay: one Idempotency-Key per pay intent. */
function PayInvoice({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  const fmt = useFormat();
  const me = useMe();
  const accountId = invoice.accountId;
  const methods = usePaymentMethods(accountId);
  const cards = (methods.data?.items ?? []).filter((m) => m.type === 'card');
  const [chosen, setChosen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const pay = usePayInvoice(invoice.id);
  // A pay intent is this invoice with this card: a retry of it reuses its key, another card is a new intent.
  const keys = useRef(new Map<string, string>());
  const selected = chosen ?? cards.find((c) => c.isDefault)?.id ?? cards[0]?.id ?? null;
  // Admins add the account's cards; a customer user (paying what it bought itself) adds its own.
  const canManage = me.data?.role === 'admin' || me.data?.accountType === 'customer';

  const submit = () => {
    if (!selected) return;
    let key = keys.current.get(selected);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(selected, key);
    }
    pay.mutate(
      { invoice, paymentMethodId: selected, key },
      { onSuccess: () => notifications.show({ color: 'green', message: t('pay.done', { number: invoice.number }) }) },
    );
  };

  return (
    <Paper withBorder p="md" data-print-hide component="section" aria-labelledby="pay-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="pay-title">
          {t('pay.title')}
        </Title>
        <ErrorAlert error={methods.error} />
        {methods.isSuccess && cards.length === 0 ? <Text>{t('pay.noCards')}</Text> : null}
        {cards.length ? (
          <Radio.Group label={t('pay.choose')} value={selected} onChange={(v) => setChosen(v)}>
            <Stack gap="xs" mt="xs">
              {cards.map((c) => (
                <Radio key={c.id} value={c.id} label={cardLabel(c, t)} />
              ))}
            </Stack>
          </Radio.Group>
        ) : null}
        {canManage ? (
          <Group>
            <Button variant="default" onClick={() => setAdding(true)}>
              {t('pay.addCard')}
            </Button>
          </Group>
        ) : null}
        <ErrorAlert error={pay.error} />
        <Group>
          <Button onClick={submit} disabled={!selected} loading={pay.isPending}>
            {t('pay.submit', { amount: fmt.money(invoice.total) })}
          </Button>
        </Group>
      </Stack>
      <Modal opened={adding} onClose={() => setAdding(false)} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }} title={t('card.title')}>
        <AddCardForm
          accountId={accountId}
          onAdded={(pm) => {
            setChosen(pm.id);
            setAdding(false);
          }}
        />
      </Modal>
    </Paper>
  );
}
