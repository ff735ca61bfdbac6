import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { localized } from '../shapes.ts';

/**
 * To the billing contact when an invoice is issued (docs/product.md#billing): its lines and total, and either that
 * it has already been charged to the card (`paid`) or that it is to be paid by its due date.
 */
export const invoiceIssued = localized({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    invoiceNumber: fields.text,
    total: fields.money,
    dueOn: z.iso.date(),
    /** Amounts may be negative (a prorated credit). */
    lines: z.array(z.object({ description: fields.text, amount: fields.money })).check(z.minLength(1), z.maxLength(100)),
    portalUrl: fields.url,
    /** Already charged to the default card when issued. */
    paid: z.boolean(),
  }),
  words: {
    en: {
      subject: (invoice: string, paid: boolean) => (paid ? `Invoice ${invoice} has been issued and paid` : `Invoice ${invoice} has been issued`),
      issued: (account: string) => `A new invoice has been issued for ${account}.`,
      labels: { invoice: 'Invoice number', customer: 'Customer', total: 'Total', status: 'Status', due: 'Due date' },
      paidStatus: 'Paid',
      charged: 'The total has already been charged to your card on file. No action is needed.',
      payBy: (due: string): Rich => [
        'Please pay the total by ',
        { strong: due },
        '. If the invoice is still unpaid after that date, the subscriptions it bills will be suspended until it is paid.',
      ],
      button: 'View the invoice',
    },
    es: {
      subject: (invoice: string, paid: boolean) => (paid ? `Se ha emitido y pagado la factura ${invoice}` : `Se ha emitido la factura ${invoice}`),
      issued: (account: string) => `Se ha emitido una nueva factura para ${account}.`,
      labels: { invoice: 'Número de factura', customer: 'Cliente', total: 'Importe total', status: 'Estado', due: 'Fecha de vencimiento' },
      paidStatus: 'Pagada',
      charged: 'El importe total ya se ha cargado en su tarjeta registrada. No es necesario que haga nada.',
      payBy: (due: string): Rich => [
        'Le rogamos que abone el importe total a más tardar el ',
        { strong: due },
        '. Si la factura sigue pendiente de pago después de esa fecha, las suscripciones facturadas en ella se suspenderán hasta que se pague.',
      ],
      button: 'Ver la factura',
    },
    de: {
      subject: (invoice: string, paid: boolean) => (paid ? `Rechnung ${invoice} wurde ausgestellt und bezahlt` : `Rechnung ${invoice} wurde ausgestellt`),
      issued: (account: string) => `Für ${account} wurde eine neue Rechnung ausgestellt.`,
      labels: { invoice: 'Rechnungsnummer', customer: 'Kunde', total: 'Gesamtbetrag', status: 'Status', due: 'Fälligkeitsdatum' },
      paidStatus: 'Bezahlt',
      charged: 'Der Gesamtbetrag wurde bereits von Ihrer hinterlegten Karte abgebucht. Sie müssen nichts weiter tun.',
      payBy: (due: string): Rich => [
        'Bitte begleichen Sie den Gesamtbetrag bis zum ',
        { strong: due },
        '. Ist die Rechnung nach diesem Datum noch offen, werden die darin abgerechneten Abonnements bis zur Zahlung gesperrt.',
      ],
      button: 'Rechnung ansehen',
    },
  },
  message: (w, d, f) => {
    const due = f.date(d.dueOn);
    return {
      subject: w.subject(d.invoiceNumber, d.paid),
      blocks: [
        { p: w.issued(d.accountName) },
        {
          facts: [
            [w.labels.invoice, d.invoiceNumber],
            [w.labels.customer, d.accountName],
            [w.labels.total, f.money(d.total)],
            d.paid ? [w.labels.status, w.paidStatus] : [w.labels.due, due],
          ],
        },
        { list: d.lines.map((l) => `${l.description}: ${f.money(l.amount)}`) },
        d.paid ? { p: w.charged } : { p: w.payBy(due) },
        { button: { label: w.button, url: d.portalUrl } },
      ],
    };
  },
});
