import * as z from 'zod/mini';
import { fields } from '../layout.ts';
import { linkEmail } from '../shapes.ts';

/**
 * A user asked to change its own login (docs/product.md#portal-users): sent to the new address, whose link applies the
 * change. Until then the current login stays.
 */
export const loginChange = linkEmail({
  schema: z.object({
    recipientName: fields.text,
    newLogin: fields.text,
    link: fields.url,
    expiresAt: fields.instant,
  }),
  link: {
    en: {
      button: 'Confirm the new login',
      validity: (until) => `The link is valid for 24 hours, until ${until}. Until you confirm, you keep signing in with your current login.`,
      after: ['If you did not ask for this, you can ignore this message: nothing changes.'],
    },
    es: {
      button: 'Confirmar el nuevo inicio de sesión',
      validity: (until) => `El enlace es válido durante 24 horas, hasta el ${until}. Hasta que lo confirme, seguirá iniciando sesión con su inicio de sesión actual.`,
      after: ['Si no lo ha solicitado, puede ignorar este mensaje: no cambiará nada.'],
    },
    de: {
      button: 'Neuen Login bestätigen',
      validity: (until) => `Der Link ist 24 Stunden gültig, bis zum ${until}. Bis zur Bestätigung melden Sie sich weiter mit Ihrem bisherigen Login an.`,
      after: ['Falls Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren: Es ändert sich nichts.'],
    },
  },
  words: {
    en: {
      subject: 'Confirm your new portal login',
      intro: (d) =>
        `You asked to use ${d.newLogin} as the login of your cloud license portal account. To confirm that this address is yours, please use the link below.`,
    },
    es: {
      subject: 'Confirme su nuevo inicio de sesión del portal',
      intro: (d) =>
        `Ha solicitado usar ${d.newLogin} como inicio de sesión de su cuenta del portal de licencias en la nube. Para confirmar que esta dirección es suya, utilice el siguiente enlace.`,
    },
    de: {
      subject: 'Bestätigen Sie Ihren neuen Portal-Login',
      intro: (d) =>
        `Sie möchten ${d.newLogin} als Login Ihres Kontos im Cloud-Lizenzportal verwenden. Um zu bestätigen, dass diese Adresse Ihnen gehört, verwenden Sie bitte den folgenden Link.`,
    },
  },
});
