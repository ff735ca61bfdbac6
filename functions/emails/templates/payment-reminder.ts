import * as z from 'zod';
import { defineTemplate, fields } from '../layout.ts';

/**
 * To the billing contact 3 days before an unpaid invoice is due (SPEC §3.8 `dunning`): pay it by
 * then, or the subscriptions it bills are suspended. The text gives the due date, not "in 3 days",
 * so that it stays true whenever the email is read.
 */
export const paymentReminder = defineTemplate({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    invoiceNumber: fields.text,
    total: fields.money,
    dueOn: z.iso.date(),
    portalUrl: fields.url,
  }),
  locales: {
    en: (d, f) => {
      const due = f.date(d.dueOn);
      return {
        subject: `Reminder: invoice ${d.invoiceNumber} is due on ${due}`,
        greeting: d.recipientName,
        blocks: [
          { p: ['This is a reminder that invoice ', { strong: d.invoiceNumber }, ' is still unpaid and is due on ', { strong: due }, '.'] },
          {
            facts: [
              ['Invoice number', d.invoiceNumber],
              ['Customer', d.accountName],
              ['Amount due', f.money(d.total)],
              ['Due date', due],
            ],
          },
          {
            p:
              'Please pay it by the due date. If it is still unpaid after that date, the subscriptions it bills will be suspended ' +
              'until it is paid.',
          },
          { button: { label: 'Pay the invoice', url: d.portalUrl } },
          { p: 'If you have already paid this invoice, please disregard this message.' },
        ],
      };
    },
    es: (d, f) => {
      const due = f.date(d.dueOn);
      return {
        subject: `Recordatorio: la factura ${d.invoiceNumber} vence el ${due}`,
        greeting: d.recipientName,
        blocks: [
          { p: ['Le recordamos que la factura ', { strong: d.invoiceNumber }, ' sigue pendiente de pago y vence el ', { strong: due }, '.'] },
          {
            facts: [
              ['Número de factura', d.invoiceNumber],
              ['Cliente', d.accountName],
              ['Importe pendiente', f.money(d.total)],
              ['Fecha de vencimiento', due],
            ],
          },
          {
            p:
              'Le rogamos que la abone a más tardar en la fecha de vencimiento. Si sigue pendiente de pago después de esa fecha, ' +
              'las suscripciones facturadas en ella se suspenderán hasta que se pague.',
          },
          { button: { label: 'Pagar la factura', url: d.portalUrl } },
          { p: 'Si ya ha abonado esta factura, le rogamos que ignore este mensaje.' },
        ],
      };
    },
    de: (d, f) => {
      const due = f.date(d.dueOn);
      return {
        subject: `Zahlungserinnerung: Rechnung ${d.invoiceNumber} ist am ${due} fällig`,
        greeting: d.recipientName,
        blocks: [
          { p: ['Wir möchten Sie daran erinnern, dass die Rechnung ', { strong: d.invoiceNumber }, ' noch offen ist und am ', { strong: due }, ' fällig wird.'] },
          {
            facts: [
              ['Rechnungsnummer', d.invoiceNumber],
              ['Kunde', d.accountName],
              ['Offener Betrag', f.money(d.total)],
              ['Fälligkeitsdatum', due],
            ],
          },
          {
            p:
              'Bitte begleichen Sie die Rechnung bis zum Fälligkeitsdatum. Ist sie danach noch offen, werden die darin abgerechneten ' +
              'Abonnements bis zur Zahlung gesperrt.',
          },
          { button: { label: 'Rechnung bezahlen', url: d.portalUrl } },
          { p: 'Falls Sie diese Rechnung bereits bezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos.' },
        ],
      };
    },
  },
});
