import * as z from 'zod';
import { defineTemplate, fields } from '../layout.ts';

/**
 * To the billing contact when an invoice is issued (SPEC §3.7): its lines and total, and either that
 * it has already been charged to the card (`paid`) or that it is to be paid by its due date.
 */
export const invoiceIssued = defineTemplate({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    invoiceNumber: fields.text,
    total: fields.money,
    dueOn: z.iso.date(),
    /** Amounts may be negative (a prorated credit). */
    lines: z.array(z.object({ description: fields.text, amount: fields.money })).min(1).max(100),
    portalUrl: fields.url,
    /** Already charged to the default card when issued. */
    paid: z.boolean(),
  }),
  locales: {
    en: (d, f) => {
      const due = f.date(d.dueOn);
      return {
        subject: d.paid ? `Invoice ${d.invoiceNumber} has been issued and paid` : `Invoice ${d.invoiceNumber} has been issued`,
        greeting: d.recipientName,
        blocks: [
          { p: `A new invoice has been issued for ${d.accountName}.` },
          {
            facts: [
              ['Invoice number', d.invoiceNumber],
              ['Customer', d.accountName],
              ['Total', f.money(d.total)],
              d.paid ? ['Status', 'Paid'] : ['Due date', due],
            ],
          },
          { list: d.lines.map((l) => `${l.description}: ${f.money(l.amount)}`) },
          d.paid
            ? { p: 'The total has already been charged to your card on file. No action is needed.' }
            : {
                p: [
                  'Please pay the total by ',
                  { strong: due },
                  '. If the invoice is still unpaid after that date, the subscriptions it bills will be suspended until it is paid.',
                ],
              },
          { button: { label: 'View the invoice', url: d.portalUrl } },
        ],
      };
    },
    es: (d, f) => {
      const due = f.date(d.dueOn);
      return {
        subject: d.paid ? `Se ha emitido y pagado la factura ${d.invoiceNumber}` : `Se ha emitido la factura ${d.invoiceNumber}`,
        greeting: d.recipientName,
        blocks: [
          { p: `Se ha emitido una nueva factura para ${d.accountName}.` },
          {
            facts: [
              ['Número de factura', d.invoiceNumber],
              ['Cliente', d.accountName],
              ['Importe total', f.money(d.total)],
              d.paid ? ['Estado', 'Pagada'] : ['Fecha de vencimiento', due],
            ],
          },
          { list: d.lines.map((l) => `${l.description}: ${f.money(l.amount)}`) },
          d.paid
            ? { p: 'El importe total ya se ha cargado en su tarjeta registrada. No es necesario que haga nada.' }
            : {
                p: [
                  'Le rogamos que abone el importe total a más tardar el ',
                  { strong: due },
                  '. Si la factura sigue pendiente de pago después de esa fecha, las suscripciones facturadas en ella se suspenderán hasta que se pague.',
                ],
              },
          { button: { label: 'Ver la factura', url: d.portalUrl } },
        ],
      };
    },
    de: (d, f) => {
      const due = f.date(d.dueOn);
      return {
        subject: d.paid ? `Rechnung ${d.invoiceNumber} wurde ausgestellt und bezahlt` : `Rechnung ${d.invoiceNumber} wurde ausgestellt`,
        greeting: d.recipientName,
        blocks: [
          { p: `Für ${d.accountName} wurde eine neue Rechnung ausgestellt.` },
          {
            facts: [
              ['Rechnungsnummer', d.invoiceNumber],
              ['Kunde', d.accountName],
              ['Gesamtbetrag', f.money(d.total)],
              d.paid ? ['Status', 'Bezahlt'] : ['Fälligkeitsdatum', due],
            ],
          },
          { list: d.lines.map((l) => `${l.description}: ${f.money(l.amount)}`) },
          d.paid
            ? { p: 'Der Gesamtbetrag wurde bereits von Ihrer hinterlegten Karte abgebucht. Sie müssen nichts weiter tun.' }
            : {
                p: [
                  'Bitte begleichen Sie den Gesamtbetrag bis zum ',
                  { strong: due },
                  '. Ist die Rechnung nach diesem Datum noch offen, werden die darin abgerechneten Abonnements bis zur Zahlung gesperrt.',
                ],
              },
          { button: { label: 'Rechnung ansehen', url: d.portalUrl } },
        ],
      };
    },
  },
});
