import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { localized } from '../shapes.ts';

/**
 * To the billing contact when the gateway declines a card payment (docs/product.md#billing): the invoice stays
 * unpaid, so they should fix the card or pay otherwise before the due date.
 */
export const paymentFailed = localized({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    invoiceNumber: fields.text,
    total: fields.money,
    /** Why the payment failed, as the gateway says it (e.g. "card_declined: insufficient funds"). */
    reason: fields.text,
    portalUrl: fields.url,
  }),
  words: {
    en: {
      subject: (invoice: string) => `Payment for invoice ${invoice} failed`,
      failed: (invoice: string): Rich => ['We could not charge your card for invoice ', { strong: invoice }, '. The invoice remains unpaid.'],
      labels: { invoice: 'Invoice number', customer: 'Customer', amount: 'Amount', reason: 'Reason' },
      next:
        'Please check your card details in the portal, or add another payment method, and pay the invoice there. ' +
        'If the invoice is still unpaid after its due date, the subscriptions it bills will be suspended until it is paid.',
      button: 'Pay the invoice',
    },
    es: {
      subject: (invoice: string) => `No se ha podido cobrar la factura ${invoice}`,
      failed: (invoice: string): Rich => ['No hemos podido realizar el cargo en su tarjeta para la factura ', { strong: invoice }, '. La factura sigue pendiente de pago.'],
      labels: { invoice: 'Número de factura', customer: 'Cliente', amount: 'Importe', reason: 'Motivo' },
      next:
        'Le rogamos que compruebe los datos de su tarjeta en el portal, o añada otro método de pago, y abone allí la factura. ' +
        'Si la factura sigue pendiente de pago después de su fecha de vencimiento, las suscripciones facturadas en ella se suspenderán hasta que se pague.',
      button: 'Pagar la factura',
    },
    de: {
      subject: (invoice: string) => `Zahlung für Rechnung ${invoice} fehlgeschlagen`,
      failed: (invoice: string): Rich => ['Die Zahlung für Rechnung ', { strong: invoice }, ' konnte nicht von Ihrer Karte abgebucht werden. Die Rechnung ist weiterhin offen.'],
      labels: { invoice: 'Rechnungsnummer', customer: 'Kunde', amount: 'Betrag', reason: 'Grund' },
      next:
        'Bitte prüfen Sie Ihre Kartendaten im Portal oder hinterlegen Sie eine andere Zahlungsmethode und begleichen Sie die Rechnung dort. ' +
        'Ist die Rechnung nach ihrem Fälligkeitsdatum noch offen, werden die darin abgerechneten Abonnements bis zur Zahlung gesperrt.',
      button: 'Rechnung bezahlen',
    },
  },
  message: (w, d, f) => ({
    subject: w.subject(d.invoiceNumber),
    blocks: [
      { p: w.failed(d.invoiceNumber) },
      {
        facts: [
          [w.labels.invoice, d.invoiceNumber],
          [w.labels.customer, d.accountName],
          [w.labels.amount, f.money(d.total)],
          [w.labels.reason, d.reason],
        ],
      },
      { p: w.next },
      { button: { label: w.button, url: d.portalUrl } },
    ],
  }),
});
