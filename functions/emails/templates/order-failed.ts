import * as z from 'zod/mini';
import { fields } from '../layout.ts';
import { localized } from '../shapes.ts';

/** To each distributor admin when an order ends `failed`. */
export const orderFailed = localized({
  schema: z.object({
    recipientName: fields.text,
    orderNumber: fields.text,
    accountName: fields.text,
    reason: fields.text,
    portalUrl: fields.url,
  }),
  words: {
    en: {
      subject: (order: string) => `Order ${order} has failed`,
      intro: 'The following order could not be completed and has been marked as failed.',
      labels: { order: 'Order number', customer: 'Customer', reason: 'Reason' },
      next: 'Please review the order in the portal and contact the customer if necessary.',
      button: 'Open the portal',
    },
    es: {
      subject: (order: string) => `El pedido ${order} no se ha podido completar`,
      intro: 'El siguiente pedido no se ha podido completar y se ha marcado como fallido.',
      labels: { order: 'Número de pedido', customer: 'Cliente', reason: 'Motivo' },
      next: 'Le rogamos que revise el pedido en el portal y, si es necesario, se ponga en contacto con el cliente.',
      button: 'Abrir el portal',
    },
    de: {
      subject: (order: string) => `Bestellung ${order} ist fehlgeschlagen`,
      intro: 'Die folgende Bestellung konnte nicht abgeschlossen werden und wurde als fehlgeschlagen markiert.',
      labels: { order: 'Bestellnummer', customer: 'Kunde', reason: 'Grund' },
      next: 'Bitte prüfen Sie die Bestellung im Portal und setzen Sie sich bei Bedarf mit dem Kunden in Verbindung.',
      button: 'Portal öffnen',
    },
  },
  message: (w, d) => ({
    subject: w.subject(d.orderNumber),
    blocks: [
      { p: w.intro },
      {
        facts: [
          [w.labels.order, d.orderNumber],
          [w.labels.customer, d.accountName],
          [w.labels.reason, d.reason],
        ],
      },
      { p: w.next },
      { button: { label: w.button, url: d.portalUrl } },
    ],
  }),
});
