import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { localized, unpaidInvoiceFields, unpaidInvoiceNotice } from '../shapes.ts';

/**
 * To the billing contact 3 days before an unpaid invoice is due (docs/product.md#scheduled-jobs `dunning`): pay it by
 * then, or the subscriptions it bills are suspended. The text gives the due date, not "in 3 days",
 * so that it stays true whenever the email is read.
 */
export const paymentReminder = localized({
  schema: z.object({ ...unpaidInvoiceFields, total: fields.money, dueOn: z.iso.date() }),
  words: {
    en: {
      subject: (invoice: string, due: string) => `Reminder: invoice ${invoice} is due on ${due}`,
      reminder: (invoice: string, due: string): Rich => ['This is a reminder that invoice ', { strong: invoice }, ' is still unpaid and is due on ', { strong: due }, '.'],
      labels: { invoice: 'Invoice number', customer: 'Customer', amount: 'Amount due', due: 'Due date' },
      next:
        'Please pay it by the due date. If it is still unpaid after that date, the subscriptions it bills will be suspended ' +
        'until it is paid.',
      button: 'Pay the invoice',
      paid: 'If you have already paid this invoice, please disregard this message.',
    },
    es: {
      subject: (invoice: string, due: string) => `Recordatorio: la factura ${invoice} vence el ${due}`,
      reminder: (invoice: string, due: string): Rich => ['Le recordamos que la factura ', { strong: invoice }, ' sigue pendiente de pago y vence el ', { strong: due }, '.'],
      labels: { invoice: 'Número de factura', customer: 'Cliente', amount: 'Importe pendiente', due: 'Fecha de vencimiento' },
      next:
        'Le rogamos que la abone a más tardar en la fecha de vencimiento. Si sigue pendiente de pago después de esa fecha, ' +
        'las suscripciones facturadas en ella se suspenderán hasta que se pague.',
      button: 'Pagar la factura',
      paid: 'Si ya ha abonado esta factura, le rogamos que ignore este mensaje.',
    },
    de: {
      subject: (invoice: string, due: string) => `Zahlungserinnerung: Rechnung ${invoice} ist am ${due} fällig`,
      reminder: (invoice: string, due: string): Rich => [
        'Wir möchten Sie daran erinnern, dass die Rechnung ',
        { strong: invoice },
        ' noch offen ist und am ',
        { strong: due },
        ' fällig wird.',
      ],
      labels: { invoice: 'Rechnungsnummer', customer: 'Kunde', amount: 'Offener Betrag', due: 'Fälligkeitsdatum' },
      next:
        'Bitte begleichen Sie die Rechnung bis zum Fälligkeitsdatum. Ist sie danach noch offen, werden die darin abgerechneten ' +
        'Abonnements bis zur Zahlung gesperrt.',
      button: 'Rechnung bezahlen',
      paid: 'Falls Sie diese Rechnung bereits bezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
    },
  },
  message: (w, d, f) => {
    const due = f.date(d.dueOn);
    return {
      subject: w.subject(d.invoiceNumber, due),
      blocks: unpaidInvoiceNotice({
        ...d,
        intro: w.reminder(d.invoiceNumber, due),
        labels: w.labels,
        extraFacts: [
          [w.labels.amount, f.money(d.total)],
          [w.labels.due, due],
        ],
        next: w.next,
        button: { label: w.button, url: d.portalUrl },
        closing: w.paid,
      }),
    };
  },
});
