import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { localized } from '../shapes.ts';

/** To each customer admin when an order completes: what was bought and how to start using it. */
const OFFICE_PORTAL = 'https://portal.office.com';

export const orderCompleted = localized({
  schema: z.object({
    recipientName: fields.text,
    orderNumber: fields.text,
    accountName: fields.text,
    domain: fields.text,
    lines: z.array(z.object({ name: fields.text, quantity: z.number().check(z.int(), z.positive()) })).check(z.minLength(1)),
    /** An upgrade (docs/product.md#upgrades): the licenses that moved, from which product; `lines` then lists what they became. */
    upgradedFrom: z.optional(z.object({ name: fields.text, quantity: z.number().check(z.int(), z.positive()) })),
    portalUrl: fields.url,
  }),
  words: {
    en: {
      subject: (order: string) => `Your order ${order} is complete`,
      done: 'Your order has been completed and your licenses are ready to use.',
      labels: { order: 'Order number', customer: 'Customer', domain: 'Microsoft domain (tenant)' },
      purchased: 'You have purchased:',
      upgraded: (from: string) => `You have upgraded ${from} to:`,
      start: 'To start using them:',
      signIn: (domain: string): Rich => ['Sign in at ', { link: OFFICE_PORTAL }, ' with the administrator account of the tenant ', { strong: domain }, '.'],
      assign: (portal: string): Rich => ['Assign the licenses to your users in the license portal: ', { link: portal }],
      questions: 'If you have any questions, please contact your provider.',
    },
    es: {
      subject: (order: string) => `Su pedido ${order} se ha completado`,
      done: 'Su pedido se ha completado y sus licencias ya están listas para usarse.',
      labels: { order: 'Número de pedido', customer: 'Cliente', domain: 'Dominio de Microsoft (inquilino)' },
      purchased: 'Ha adquirido:',
      upgraded: (from: string) => `Ha actualizado ${from} a:`,
      start: 'Para empezar a utilizarlas:',
      signIn: (domain: string): Rich => ['Inicie sesión en ', { link: OFFICE_PORTAL }, ' con la cuenta de administrador del inquilino ', { strong: domain }, '.'],
      assign: (portal: string): Rich => ['Asigne las licencias a sus usuarios en el portal de licencias: ', { link: portal }],
      questions: 'Si tiene alguna pregunta, póngase en contacto con su proveedor.',
    },
    de: {
      subject: (order: string) => `Ihre Bestellung ${order} ist abgeschlossen`,
      done: 'Ihre Bestellung wurde abgeschlossen. Ihre Lizenzen stehen ab sofort zur Verfügung.',
      labels: { order: 'Bestellnummer', customer: 'Kunde', domain: 'Microsoft-Domäne (Mandant)' },
      purchased: 'Sie haben Folgendes erworben:',
      upgraded: (from: string) => `Sie haben ${from} hochgestuft auf:`,
      start: 'So beginnen Sie:',
      signIn: (domain: string): Rich => ['Melden Sie sich unter ', { link: OFFICE_PORTAL }, ' mit dem Administratorkonto des Mandanten ', { strong: domain }, ' an.'],
      assign: (portal: string): Rich => ['Weisen Sie Ihren Benutzern die Lizenzen im Lizenzportal zu: ', { link: portal }],
      questions: 'Bei Fragen wenden Sie sich bitte an Ihren Anbieter.',
    },
  },
  message: (w, d, f) => ({
    subject: w.subject(d.orderNumber),
    blocks: [
      { p: w.done },
      {
        facts: [
          [w.labels.order, d.orderNumber],
          [w.labels.customer, d.accountName],
          [w.labels.domain, d.domain],
        ],
      },
      { p: d.upgradedFrom ? w.upgraded(`${f.number(d.upgradedFrom.quantity)} × ${d.upgradedFrom.name}`) : w.purchased },
      { list: d.lines.map((l) => `${f.number(l.quantity)} × ${l.name}`) },
      { p: w.start },
      { steps: [w.signIn(d.domain), w.assign(d.portalUrl)] },
      { p: w.questions },
    ],
  }),
});
