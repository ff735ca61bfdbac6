import * as z from 'zod';
import { defineTemplate, fields } from '../layout.ts';

/**
 * To the billing contact when the gateway declines a card payment (SPEC §3.7): the invoice stays
 * unpaid, so they should fix the card or pay otherwise before the due date.
 */
export const paymentFailed = defineTemplate({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    invoiceNumber: fields.text,
    total: fields.money,
    /** Why the payment failed, as the gateway says it (e.g. "card_declined: insufficient funds"). */
    reason: fields.text,
    portalUrl: fields.url,
  }),
  locales: {
    en: (d, f) => ({
      subject: `Payment for invoice ${d.invoiceNumber} failed`,
      greeting: d.recipientName,
      blocks: [
        { p: ['We could not charge your card for invoice ', { strong: d.invoiceNumber }, '. The invoice remains unpaid.'] },
        {
          facts: [
            ['Invoice number', d.invoiceNumber],
            ['Customer', d.accountName],
            ['Amount', f.money(d.total)],
            ['Reason', d.reason],
          ],
        },
        {
          p:
            'Please check your card details in the portal, or add another payment method, and pay the invoice there. ' +
            'If the invoice is still unpaid after its due date, the subscriptions it bills will be suspended until it is paid.',
        },
        { button: { label: 'Pay the invoice', url: d.portalUrl } },
      ],
    }),
    es: (d, f) => ({
      subject: `No se ha podido cobrar la factura ${d.invoiceNumber}`,
      greeting: d.recipientName,
      blocks: [
        { p: ['No hemos podido realizar el cargo en su tarjeta para la factura ', { strong: d.invoiceNumber }, '. La factura sigue pendiente de pago.'] },
        {
          facts: [
            ['Número de factura', d.invoiceNumber],
            ['Cliente', d.accountName],
            ['Importe', f.money(d.total)],
            ['Motivo', d.reason],
          ],
        },
        {
          p:
            'Le rogamos que compruebe los datos de su tarjeta en el portal, o añada otro método de pago, y abone allí la factura. ' +
            'Si la factura sigue pendiente de pago después de su fecha de vencimiento, las suscripciones facturadas en ella se suspenderán hasta que se pague.',
        },
        { button: { label: 'Pagar la factura', url: d.portalUrl } },
      ],
    }),
    de: (d, f) => ({
      subject: `Zahlung für Rechnung ${d.invoiceNumber} fehlgeschlagen`,
      greeting: d.recipientName,
      blocks: [
        { p: ['Die Zahlung für Rechnung ', { strong: d.invoiceNumber }, ' konnte nicht von Ihrer Karte abgebucht werden. Die Rechnung ist weiterhin offen.'] },
        {
          facts: [
            ['Rechnungsnummer', d.invoiceNumber],
            ['Kunde', d.accountName],
            ['Betrag', f.money(d.total)],
            ['Grund', d.reason],
          ],
        },
        {
          p:
            'Bitte prüfen Sie Ihre Kartendaten im Portal oder hinterlegen Sie eine andere Zahlungsmethode und begleichen Sie die Rechnung dort. ' +
            'Ist die Rechnung nach ihrem Fälligkeitsdatum noch offen, werden die darin abgerechneten Abonnements bis zur Zahlung gesperrt.',
        },
        { button: { label: 'Rechnung bezahlen', url: d.portalUrl } },
      ],
    }),
  },
});
