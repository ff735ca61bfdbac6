import * as z from 'zod/mini';
import type { Rich } from '../layout.ts';
import { dunnedSubscriptions, localized, unpaidInvoiceFields, unpaidInvoiceNotice } from '../shapes.ts';

/**
 * To the billing contact when an invoice becomes overdue and the subscriptions it bills are
 * suspended (docs/product.md#billing, docs/product.md#scheduled-jobs `dunning`): which ones, and that paying the invoice reactivates them.
 */
export const subscriptionSuspended = localized({
  schema: z.object({ ...unpaidInvoiceFields, subscriptions: dunnedSubscriptions }),
  words: {
    en: {
      subject: (invoice: string) => `Subscriptions suspended: invoice ${invoice} is overdue`,
      suspended: (invoice: string): Rich => ['Invoice ', { strong: invoice }, ' is past its due date and still unpaid, so the following subscriptions have been suspended:'],
      labels: { invoice: 'Invoice number', customer: 'Customer' },
      next: 'As soon as the invoice is paid, the subscriptions are reactivated automatically. Please pay it in the portal:',
      button: 'Pay the invoice',
    },
    es: {
      subject: (invoice: string) => `Suscripciones suspendidas: la factura ${invoice} está vencida`,
      suspended: (invoice: string): Rich => [
        'La factura ',
        { strong: invoice },
        ' ha superado su fecha de vencimiento sin haberse pagado, por lo que se han suspendido las siguientes suscripciones:',
      ],
      labels: { invoice: 'Número de factura', customer: 'Cliente' },
      next: 'En cuanto se pague la factura, las suscripciones se reactivarán automáticamente. Le rogamos que la abone en el portal:',
      button: 'Pagar la factura',
    },
    de: {
      subject: (invoice: string) => `Abonnements gesperrt: Rechnung ${invoice} ist überfällig`,
      suspended: (invoice: string): Rich => [
        'Die Rechnung ',
        { strong: invoice },
        ' wurde bis zu ihrem Fälligkeitsdatum nicht bezahlt. Daher wurden die folgenden Abonnements gesperrt:',
      ],
      labels: { invoice: 'Rechnungsnummer', customer: 'Kunde' },
      next: 'Sobald die Rechnung bezahlt ist, werden die Abonnements automatisch wieder aktiviert. Bitte begleichen Sie sie im Portal:',
      button: 'Rechnung bezahlen',
    },
  },
  message: (w, d) => ({
    subject: w.subject(d.invoiceNumber),
    blocks: unpaidInvoiceNotice({ ...d, intro: w.suspended(d.invoiceNumber), labels: w.labels, next: w.next, button: { label: w.button, url: d.portalUrl } }),
  }),
});
