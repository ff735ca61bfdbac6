import * as z from 'zod/mini';
import { fields } from '../layout.ts';
import { localized } from '../shapes.ts';

/** To each active admin of the account when its webhook endpoint was disabled after 24 h of failed deliveries (docs/api.md#webhooks). */
export const webhookDisabled = localized({
  schema: z.object({
    recipientName: fields.text,
    accountName: fields.text,
    url: fields.text,
    /** The last attempt's answer (`HTTP 503`) or error, as the sender saw it. */
    lastError: fields.text,
    portalUrl: fields.url,
  }),
  words: {
    en: {
      subject: 'A webhook endpoint has been disabled',
      intro: 'We could not deliver events to one of your webhook endpoints for 24 hours, so we have stopped sending to it.',
      labels: { account: 'Account', url: 'Endpoint', reason: 'Last error' },
      next: 'Events keep being recorded: once the endpoint works again, enable it in the portal and fetch what it missed from the event feed or redeliver it from the delivery log.',
      button: 'Open the portal',
    },
    es: {
      subject: 'Se ha desactivado un endpoint de webhook',
      intro: 'No hemos podido entregar eventos a uno de sus endpoints de webhook durante 24 horas, por lo que hemos dejado de enviarle.',
      labels: { account: 'Cuenta', url: 'Endpoint', reason: 'Último error' },
      next: 'Los eventos se siguen registrando: cuando el endpoint vuelva a funcionar, actívelo en el portal y obtenga lo que falte desde el feed de eventos o reenvíelo desde el registro de entregas.',
      button: 'Abrir el portal',
    },
    de: {
      subject: 'Ein Webhook-Endpunkt wurde deaktiviert',
      intro: 'Wir konnten 24 Stunden lang keine Ereignisse an einen Ihrer Webhook-Endpunkte zustellen und senden deshalb nicht mehr dorthin.',
      labels: { account: 'Konto', url: 'Endpunkt', reason: 'Letzter Fehler' },
      next: 'Ereignisse werden weiter aufgezeichnet: Sobald der Endpunkt wieder funktioniert, aktivieren Sie ihn im Portal und holen das Verpasste aus dem Ereignis-Feed oder stellen es aus dem Zustellprotokoll erneut zu.',
      button: 'Portal öffnen',
    },
  },
  message: (w, d) => ({
    subject: w.subject,
    blocks: [
      { p: w.intro },
      {
        facts: [
          [w.labels.account, d.accountName],
          [w.labels.url, d.url],
          [w.labels.reason, d.lastError],
        ],
      },
      { p: w.next },
      { button: { label: w.button, url: d.portalUrl } },
    ],
  }),
});
