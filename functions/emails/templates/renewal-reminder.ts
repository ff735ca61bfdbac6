import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { localized } from '../shapes.ts';
import { BILLING_PERIODS, TERMS } from '#domain/catalog.ts';

/**
 * To the customer admins 7 days before a subscription's term ends (docs/product.md#scheduled-jobs `renewals`): it renews
 * on `renewsOn` if auto-renew is on, or expires then if it is off, and how to change that in the
 * portal (auto-renew, or the license count for the next term). A change scheduled for the renewal
 * (docs/product.md#scheduled-changes-at-renewal) is stated: the next term's product, term and
 * billing period, with its licenses and price.
 */
export const renewalReminder = localized({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    subscriptionName: fields.text,
    domain: fields.text,
    quantity: z.number().check(z.int(), z.positive()),
    /** The day the `renewals` job renews (or expires) it: the day after `currentTermEnd`. */
    renewsOn: z.iso.date(),
    autoRenew: z.boolean(),
    /** What the renewal will bill: the price in effect on `renewsOn` (docs/commerce.md), per license and billing period, and for the licenses. */
    unitPrice: z.optional(fields.money),
    total: z.optional(fields.money),
    /** The scheduled change to another product or offer the renewal applies (its licenses are `quantity`). */
    change: z.optional(z.object({ productName: fields.text, term: z.enum(TERMS), billingPeriod: z.enum(BILLING_PERIODS) })),
    portalUrl: fields.url,
  }),
  words: {
    en: {
      subject: (name: string, on: string, autoRenew: boolean) =>
        autoRenew ? `Your subscription ${name} renews on ${on}` : `Your subscription ${name} expires on ${on}`,
      renews: (name: string, on: string): Rich => ['Your subscription ', { strong: name }, ' will renew automatically on ', { strong: on }, ' for another term.'],
      expires: (name: string, on: string): Rich => [
        'Auto-renew is turned off for your subscription ',
        { strong: name },
        ', so it will expire on ',
        { strong: on },
        ' and its licenses will no longer be available.',
      ],
      labels: {
        subscription: 'Subscription',
        customer: 'Customer',
        domain: 'Microsoft domain (tenant)',
        licenses: 'Licenses',
        renewal: 'Renewal date',
        expiration: 'Expiration date',
        autoRenew: 'Auto-renew',
        unitPrice: 'Price per license from the renewal',
        total: 'Renewal amount (net)',
        nextProduct: 'Product from the renewal',
        nextTerm: 'Term from the renewal',
      },
      changed: 'The change you scheduled applies at this renewal: the subscription continues as shown below.',
      terms: { P1M: '1 month', P1Y: '1 year', P3Y: '3 years' },
      periods: { monthly: 'billed monthly', annual: 'billed annually' },
      onOff: { on: 'On', off: 'Off' },
      changeRenewal:
        'If you want to change the number of licenses for the next term, or do not want the subscription to renew, ' +
        'please change it in the portal before that date: open the subscription and adjust the license count or turn off auto-renew.',
      keep:
        'If you want to keep the subscription, please open it in the portal and turn on auto-renew before that date. ' +
        'Otherwise, no action is needed.',
      button: 'Manage the subscription',
    },
    es: {
      subject: (name: string, on: string, autoRenew: boolean) =>
        autoRenew ? `Su suscripción ${name} se renueva el ${on}` : `Su suscripción ${name} vence el ${on}`,
      renews: (name: string, on: string): Rich => ['Su suscripción ', { strong: name }, ' se renovará automáticamente por otro periodo el ', { strong: on }, '.'],
      expires: (name: string, on: string): Rich => [
        'La renovación automática de su suscripción ',
        { strong: name },
        ' está desactivada, por lo que vencerá el ',
        { strong: on },
        ' y sus licencias dejarán de estar disponibles.',
      ],
      labels: {
        subscription: 'Suscripción',
        customer: 'Cliente',
        domain: 'Dominio de Microsoft (inquilino)',
        licenses: 'Licencias',
        renewal: 'Fecha de renovación',
        expiration: 'Fecha de vencimiento',
        autoRenew: 'Renovación automática',
        unitPrice: 'Precio por licencia desde la renovación',
        total: 'Importe de la renovación (neto)',
        nextProduct: 'Producto desde la renovación',
        nextTerm: 'Periodo desde la renovación',
      },
      changed: 'El cambio que programó se aplica en esta renovación: la suscripción continúa como se indica a continuación.',
      terms: { P1M: '1 mes', P1Y: '1 año', P3Y: '3 años' },
      periods: { monthly: 'facturación mensual', annual: 'facturación anual' },
      onOff: { on: 'Activada', off: 'Desactivada' },
      changeRenewal:
        'Si desea cambiar el número de licencias para el próximo periodo, o no desea que la suscripción se renueve, ' +
        'le rogamos que lo modifique en el portal antes de esa fecha: abra la suscripción y ajuste el número de licencias ' +
        'o desactive la renovación automática.',
      keep:
        'Si desea conservar la suscripción, le rogamos que la abra en el portal y active la renovación automática antes de esa fecha. ' +
        'En caso contrario, no es necesario que haga nada.',
      button: 'Gestionar la suscripción',
    },
    de: {
      subject: (name: string, on: string, autoRenew: boolean) =>
        autoRenew ? `Ihr Abonnement ${name} wird am ${on} verlängert` : `Ihr Abonnement ${name} läuft am ${on} ab`,
      renews: (name: string, on: string): Rich => ['Ihr Abonnement ', { strong: name }, ' wird am ', { strong: on }, ' automatisch um eine weitere Laufzeit verlängert.'],
      expires: (name: string, on: string): Rich => [
        'Die automatische Verlängerung Ihres Abonnements ',
        { strong: name },
        ' ist ausgeschaltet. Es läuft daher am ',
        { strong: on },
        ' ab, und seine Lizenzen stehen danach nicht mehr zur Verfügung.',
      ],
      labels: {
        subscription: 'Abonnement',
        customer: 'Kunde',
        domain: 'Microsoft-Domäne (Mandant)',
        licenses: 'Lizenzen',
        renewal: 'Verlängerungsdatum',
        expiration: 'Ablaufdatum',
        autoRenew: 'Automatische Verlängerung',
        unitPrice: 'Preis pro Lizenz ab der Verlängerung',
        total: 'Verlängerungsbetrag (netto)',
        nextProduct: 'Produkt ab der Verlängerung',
        nextTerm: 'Laufzeit ab der Verlängerung',
      },
      changed: 'Die von Ihnen geplante Änderung gilt ab dieser Verlängerung: Das Abonnement wird wie unten angegeben fortgesetzt.',
      terms: { P1M: '1 Monat', P1Y: '1 Jahr', P3Y: '3 Jahre' },
      periods: { monthly: 'monatliche Abrechnung', annual: 'jährliche Abrechnung' },
      onOff: { on: 'Ein', off: 'Aus' },
      changeRenewal:
        'Wenn Sie die Anzahl der Lizenzen für die nächste Laufzeit ändern möchten oder keine Verlängerung wünschen, ' +
        'ändern Sie dies bitte vor diesem Datum im Portal: Öffnen Sie das Abonnement und passen Sie die Anzahl der Lizenzen an ' +
        'oder schalten Sie die automatische Verlängerung aus.',
      keep:
        'Wenn Sie das Abonnement behalten möchten, öffnen Sie es bitte im Portal und schalten Sie die automatische Verlängerung ' +
        'vor diesem Datum ein. Andernfalls ist nichts weiter zu tun.',
      button: 'Abonnement verwalten',
    },
  },
  message: (w, d, f) => {
    const on = f.date(d.renewsOn);
    return {
      subject: w.subject(d.subscriptionName, on, d.autoRenew),
      blocks: [
        { p: d.autoRenew ? w.renews(d.subscriptionName, on) : w.expires(d.subscriptionName, on) },
        ...(d.autoRenew && d.change ? [{ p: w.changed }] : []),
        {
          facts: [
            [w.labels.subscription, d.subscriptionName],
            ...(d.autoRenew && d.change
              ? ([
                  [w.labels.nextProduct, d.change.productName],
                  [w.labels.nextTerm, `${w.terms[d.change.term]}, ${w.periods[d.change.billingPeriod]}`],
                ] as Array<[string, string]>)
              : []),
            [w.labels.customer, d.accountName],
            [w.labels.domain, d.domain],
            [w.labels.licenses, f.number(d.quantity)],
            [d.autoRenew ? w.labels.renewal : w.labels.expiration, on],
            [w.labels.autoRenew, d.autoRenew ? w.onOff.on : w.onOff.off],
            ...(d.autoRenew && d.unitPrice ? ([[w.labels.unitPrice, f.money(d.unitPrice)]] as Array<[string, string]>) : []),
            ...(d.autoRenew && d.total ? ([[w.labels.total, f.money(d.total)]] as Array<[string, string]>) : []),
          ],
        },
        { p: d.autoRenew ? w.changeRenewal : w.keep },
        { button: { label: w.button, url: d.portalUrl } },
      ],
    };
  },
});
