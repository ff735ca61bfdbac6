import * as z from 'zod/mini';
import type { Rich } from '../layout.ts';
import { dunnedSubscriptions, localized, unpaidInvoiceFields, unpaidInvoiceNotice } from '../shapes.ts';

/**
 * To the billing contact when the subscriptions an overdue invoice suspended are cancelled at the
 * end of the account's grace (docs/product.md#billing "Not paying"): which ones, and that the
 * invoice is still owed.
 */
export const subscriptionsCancelled = localized({
  schema: z.object({ ...unpaidInvoiceFields, subscriptions: dunnedSubscriptions }),
  words: {
    en: {
      subject: (invoice: string) => `Subscriptions cancelled: invoice ${invoice} was not paid`,
      cancelled: (invoice: string): Rich => ['Invoice ', { strong: invoice }, ' was not paid by the end of the grace period, so the following suspended subscriptions have been cancelled:'],
      labels: { invoice: 'Invoice number', customer: 'Customer' },
      next: 'The invoice is still owed. To use these products again, pay the invoice and place a new order in the portal:',
      button: 'Open the portal',
    },
    es: {
      subject: (invoice: string) => `Suscripciones canceladas: la factura ${invoice} no se ha pagado`,
      cancelled: (invoice: string): Rich => [
        'La factura ',
        { strong: invoice },
        ' no se pagó antes del final del periodo de gracia, por lo que se han cancelado las siguientes suscripciones suspendidas:',
      ],
      labels: { invoice: 'Número de factura', customer: 'Cliente' },
      next: 'La factura sigue pendiente. Para volver a usar estos productos, abone la factura y haga un nuevo pedido en el portal:',
      button: 'Abrir el portal',
    },
    de: {
      subject: (invoice: string) => `Abonnements gekündigt: Rechnung ${invoice} wurde nicht bezahlt`,
      cancelled: (invoice: string): Rich => [
        'Die Rechnung ',
        { strong: invoice },
        ' wurde bis zum Ende der Nachfrist nicht bezahlt. Daher wurden die folgenden gesperrten Abonnements gekündigt:',
      ],
      labels: { invoice: 'Rechnungsnummer', customer: 'Kunde' },
      next: 'Die Rechnung bleibt offen. Um diese Produkte wieder zu nutzen, begleichen Sie die Rechnung und geben Sie im Portal eine neue Bestellung auf:',
      button: 'Portal öffnen',
    },
  },
  message: (w, d) => ({
    subject: w.subject(d.invoiceNumber),
    blocks: unpaidInvoiceNotice({ ...d, intro: w.cancelled(d.invoiceNumber), labels: w.labels, next: w.next, button: { label: w.button, url: d.portalUrl } }),
  }),
});
