import * as z from 'zod';
import { defineTemplate, fields } from '../layout.ts';

/**
 * To the customer admins 7 days before a subscription's term ends (SPEC §3.8 `renewals`): it renews
 * on `renewsOn` if auto-renew is on, or expires then if it is off, and how to change that in the
 * portal (auto-renew, or the license count for the next term).
 */
export const renewalReminder = defineTemplate({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    subscriptionName: fields.text,
    domain: fields.text,
    quantity: z.number().int().positive(),
    /** The day the `renewals` job renews (or expires) it: the day after `currentTermEnd`. */
    renewsOn: z.iso.date(),
    autoRenew: z.boolean(),
    portalUrl: fields.url,
  }),
  locales: {
    en: (d, f) => {
      const on = f.date(d.renewsOn);
      return {
        subject: d.autoRenew ? `Your subscription ${d.subscriptionName} renews on ${on}` : `Your subscription ${d.subscriptionName} expires on ${on}`,
        greeting: d.recipientName,
        blocks: [
          d.autoRenew
            ? { p: ['Your subscription ', { strong: d.subscriptionName }, ' will renew automatically on ', { strong: on }, ' for another term.'] }
            : {
                p: [
                  'Auto-renew is turned off for your subscription ',
                  { strong: d.subscriptionName },
                  ', so it will expire on ',
                  { strong: on },
                  ' and its licenses will no longer be available.',
                ],
              },
          {
            facts: [
              ['Subscription', d.subscriptionName],
              ['Customer', d.accountName],
              ['Microsoft domain (tenant)', d.domain],
              ['Licenses', f.number(d.quantity)],
              [d.autoRenew ? 'Renewal date' : 'Expiration date', on],
              ['Auto-renew', d.autoRenew ? 'On' : 'Off'],
            ],
          },
          d.autoRenew
            ? {
                p:
                  'If you want to change the number of licenses for the next term, or do not want the subscription to renew, ' +
                  'please change it in the portal before that date: open the subscription and adjust the license count or turn off auto-renew.',
              }
            : {
                p:
                  'If you want to keep the subscription, please open it in the portal and turn on auto-renew before that date. ' +
                  'Otherwise, no action is needed.',
              },
          { button: { label: 'Manage the subscription', url: d.portalUrl } },
        ],
      };
    },
    es: (d, f) => {
      const on = f.date(d.renewsOn);
      return {
        subject: d.autoRenew
          ? `Su suscripción ${d.subscriptionName} se renueva el ${on}`
          : `Su suscripción ${d.subscriptionName} vence el ${on}`,
        greeting: d.recipientName,
        blocks: [
          d.autoRenew
            ? { p: ['Su suscripción ', { strong: d.subscriptionName }, ' se renovará automáticamente por otro periodo el ', { strong: on }, '.'] }
            : {
                p: [
                  'La renovación automática de su suscripción ',
                  { strong: d.subscriptionName },
                  ' está desactivada, por lo que vencerá el ',
                  { strong: on },
                  ' y sus licencias dejarán de estar disponibles.',
                ],
              },
          {
            facts: [
              ['Suscripción', d.subscriptionName],
              ['Cliente', d.accountName],
              ['Dominio de Microsoft (inquilino)', d.domain],
              ['Licencias', f.number(d.quantity)],
              [d.autoRenew ? 'Fecha de renovación' : 'Fecha de vencimiento', on],
              ['Renovación automática', d.autoRenew ? 'Activada' : 'Desactivada'],
            ],
          },
          d.autoRenew
            ? {
                p:
                  'Si desea cambiar el número de licencias para el próximo periodo, o no desea que la suscripción se renueve, ' +
                  'le rogamos que lo modifique en el portal antes de esa fecha: abra la suscripción y ajuste el número de licencias ' +
                  'o desactive la renovación automática.',
              }
            : {
                p:
                  'Si desea conservar la suscripción, le rogamos que la abra en el portal y active la renovación automática antes de esa fecha. ' +
                  'En caso contrario, no es necesario que haga nada.',
              },
          { button: { label: 'Gestionar la suscripción', url: d.portalUrl } },
        ],
      };
    },
    de: (d, f) => {
      const on = f.date(d.renewsOn);
      return {
        subject: d.autoRenew
          ? `Ihr Abonnement ${d.subscriptionName} wird am ${on} verlängert`
          : `Ihr Abonnement ${d.subscriptionName} läuft am ${on} ab`,
        greeting: d.recipientName,
        blocks: [
          d.autoRenew
            ? { p: ['Ihr Abonnement ', { strong: d.subscriptionName }, ' wird am ', { strong: on }, ' automatisch um eine weitere Laufzeit verlängert.'] }
            : {
                p: [
                  'Die automatische Verlängerung Ihres Abonnements ',
                  { strong: d.subscriptionName },
                  ' ist ausgeschaltet. Es läuft daher am ',
                  { strong: on },
                  ' ab, und seine Lizenzen stehen danach nicht mehr zur Verfügung.',
                ],
              },
          {
            facts: [
              ['Abonnement', d.subscriptionName],
              ['Kunde', d.accountName],
              ['Microsoft-Domäne (Mandant)', d.domain],
              ['Lizenzen', f.number(d.quantity)],
              [d.autoRenew ? 'Verlängerungsdatum' : 'Ablaufdatum', on],
              ['Automatische Verlängerung', d.autoRenew ? 'Ein' : 'Aus'],
            ],
          },
          d.autoRenew
            ? {
                p:
                  'Wenn Sie die Anzahl der Lizenzen für die nächste Laufzeit ändern möchten oder keine Verlängerung wünschen, ' +
                  'ändern Sie dies bitte vor diesem Datum im Portal: Öffnen Sie das Abonnement und passen Sie die Anzahl der Lizenzen an ' +
                  'oder schalten Sie die automatische Verlängerung aus.',
              }
            : {
                p:
                  'Wenn Sie das Abonnement behalten möchten, öffnen Sie es bitte im Portal und schalten Sie die automatische Verlängerung ' +
                  'vor diesem Datum ein. Andernfalls ist nichts weiter zu tun.',
              },
          { button: { label: 'Abonnement verwalten', url: d.portalUrl } },
        ],
      };
    },
  },
});
