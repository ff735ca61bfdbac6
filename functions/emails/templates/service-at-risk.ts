import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { dunnedSubscriptions, localized, unpaidInvoiceFields, unpaidInvoiceNotice } from '../shapes.ts';

/**
 * To the billing contact 7 days before the subscriptions an overdue invoice suspended are cancelled
 * (docs/product.md#billing "Not paying", docs/product.md#scheduled-jobs `dunning`): pay it by the
 * day before, or they are cancelled. The text gives the date, not "in 7 days", so that it stays
 * true whenever the email is read.
 */
export const serviceAtRisk = localized({
  schema: z.object({
    ...unpaidInvoiceFields,
    total: fields.money,
    /** The day the subscriptions are cancelled if the invoice is still unpaid. */
    cancelsOn: z.iso.date(),
    subscriptions: dunnedSubscriptions,
  }),
  words: {
    en: {
      subject: (invoice: string, on: string) => `Your service is at risk: pay invoice ${invoice} or it is cancelled on ${on}`,
      risk: (invoice: string, on: string): Rich => [
        'Invoice ',
        { strong: invoice },
        ' is still unpaid. Unless it is paid before ',
        { strong: on },
        ', the following suspended subscriptions will be cancelled on that day:',
      ],
      labels: { invoice: 'Invoice number', customer: 'Customer', amount: 'Amount due', cancels: 'Cancellation date' },
      next: 'Paying the invoice reactivates the subscriptions at once and stops the cancellation. Please pay it in the portal:',
      button: 'Pay the invoice',
      paid: 'If you have already paid this invoice, please disregard this message.',
    },
    es: {
      subject: (invoice: string, on: string) => `Su servicio está en riesgo: pague la factura ${invoice} o se cancelará el ${on}`,
      risk: (invoice: string, on: string): Rich => [
        'La factura ',
        { strong: invoice },
        ' sigue pendiente de pago. Si no se paga antes del ',
        { strong: on },
        ', ese día se cancelarán las siguientes suscripciones suspendidas:',
      ],
      labels: { invoice: 'Número de factura', customer: 'Cliente', amount: 'Importe pendiente', cancels: 'Fecha de cancelación' },
      next: 'Al pagar la factura, las suscripciones se reactivan de inmediato y la cancelación se detiene. Le rogamos que la abone en el portal:',
      button: 'Pagar la factura',
      paid: 'Si ya ha abonado esta factura, le rogamos que ignore este mensaje.',
    },
    de: {
      subject: (invoice: string, on: string) => `Ihr Dienst ist gefährdet: Bezahlen Sie Rechnung ${invoice}, sonst wird er am ${on} gekündigt`,
      risk: (invoice: string, on: string): Rich => [
        'Die Rechnung ',
        { strong: invoice },
        ' ist noch offen. Wird sie nicht vor dem ',
        { strong: on },
        ' bezahlt, werden an diesem Tag die folgenden gesperrten Abonnements gekündigt:',
      ],
      labels: { invoice: 'Rechnungsnummer', customer: 'Kunde', amount: 'Offener Betrag', cancels: 'Kündigungsdatum' },
      next: 'Mit der Zahlung der Rechnung werden die Abonnements sofort wieder aktiviert und die Kündigung entfällt. Bitte begleichen Sie sie im Portal:',
      button: 'Rechnung bezahlen',
      paid: 'Falls Sie diese Rechnung bereits bezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos.',
    },
  },
  message: (w, d, f) => {
    const on = f.date(d.cancelsOn);
    return {
      subject: w.subject(d.invoiceNumber, on),
      blocks: unpaidInvoiceNotice({
        ...d,
        intro: w.risk(d.invoiceNumber, on),
        labels: w.labels,
        extraFacts: [
          [w.labels.amount, f.money(d.total)],
          [w.labels.cancels, on],
        ],
        next: w.next,
        button: { label: w.button, url: d.portalUrl },
        closing: w.paid,
      }),
    };
  },
});
