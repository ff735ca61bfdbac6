import * as z from 'zod';
import { defineTemplate, fields } from '../layout.ts';

/**
 * A user asked to change its own login (SPEC §3.2): sent to the new address, whose link applies the
 * change. Until then the current login stays.
 */
export const loginChange = defineTemplate({
  schema: z.object({
    recipientName: fields.text,
    newLogin: fields.text,
    link: fields.url,
    expiresAt: fields.instant,
  }),
  locales: {
    en: (d, f) => ({
      subject: 'Confirm your new portal login',
      greeting: d.recipientName,
      blocks: [
        { p: `You asked to use ${d.newLogin} as the login of your cloud license portal account. To confirm that this address is yours, please use the link below.` },
        { button: { label: 'Confirm the new login', url: d.link } },
        { p: `The link is valid for 24 hours, until ${f.dateTime(d.expiresAt)}. Until you confirm, you keep signing in with your current login.` },
        { p: 'If you did not ask for this, you can ignore this message: nothing changes.' },
      ],
    }),
    es: (d, f) => ({
      subject: 'Confirme su nuevo inicio de sesión del portal',
      greeting: d.recipientName,
      blocks: [
        { p: `Ha solicitado usar ${d.newLogin} como inicio de sesión de su cuenta del portal de licencias en la nube. Para confirmar que esta dirección es suya, utilice el siguiente enlace.` },
        { button: { label: 'Confirmar el nuevo inicio de sesión', url: d.link } },
        { p: `El enlace es válido durante 24 horas, hasta el ${f.dateTime(d.expiresAt)}. Hasta que lo confirme, seguirá iniciando sesión con su inicio de sesión actual.` },
        { p: 'Si no lo ha solicitado, puede ignorar este mensaje: no cambiará nada.' },
      ],
    }),
    de: (d, f) => ({
      subject: 'Bestätigen Sie Ihren neuen Portal-Login',
      greeting: d.recipientName,
      blocks: [
        { p: `Sie möchten ${d.newLogin} als Login Ihres Kontos im Cloud-Lizenzportal verwenden. Um zu bestätigen, dass diese Adresse Ihnen gehört, verwenden Sie bitte den folgenden Link.` },
        { button: { label: 'Neuen Login bestätigen', url: d.link } },
        { p: `Der Link ist 24 Stunden gültig, bis zum ${f.dateTime(d.expiresAt)}. Bis zur Bestätigung melden Sie sich weiter mit Ihrem bisherigen Login an.` },
        { p: 'Falls Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren: Es ändert sich nichts.' },
      ],
    }),
  },
});
