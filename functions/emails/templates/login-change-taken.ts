import * as z from 'zod/mini';
import { fields } from '../layout.ts';
import { localized } from '../shapes.ts';

/**
 * A user asked to change its own login to an address that is already a login (docs/product.md#portal-users): the
 * address is told so, instead of a confirmation link. The requester gets the same 202 either way.
 */
export const loginChangeTaken = localized({
  schema: z.object({
    recipientName: fields.text,
    newLogin: fields.text,
  }),
  words: {
    en: {
      subject: 'This address is already a portal login',
      taken: (login: string) =>
        `Someone asked to use ${login} as the login of a cloud license portal account. This address is already the login of an account, so nothing was changed.`,
      ifYou: 'If it was you, sign in with this address (you can ask for a password reset on the sign-in page), or choose another address.',
      ifNot: 'If you did not ask for this, you can ignore this message.',
    },
    es: {
      subject: 'Esta dirección ya es un inicio de sesión del portal',
      taken: (login: string) =>
        `Alguien ha solicitado usar ${login} como inicio de sesión de una cuenta del portal de licencias en la nube. Esta dirección ya es el inicio de sesión de una cuenta, por lo que no se ha cambiado nada.`,
      ifYou:
        'Si ha sido usted, inicie sesión con esta dirección (puede solicitar el restablecimiento de la contraseña en la página de inicio de sesión) o elija otra dirección.',
      ifNot: 'Si no lo ha solicitado, puede ignorar este mensaje.',
    },
    de: {
      subject: 'Diese Adresse ist bereits ein Portal-Login',
      taken: (login: string) =>
        `Jemand möchte ${login} als Login eines Kontos im Cloud-Lizenzportal verwenden. Diese Adresse ist bereits der Login eines Kontos, daher wurde nichts geändert.`,
      ifYou:
        'Falls Sie das waren, melden Sie sich mit dieser Adresse an (auf der Anmeldeseite können Sie ein neues Passwort anfordern), oder wählen Sie eine andere Adresse.',
      ifNot: 'Falls Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren.',
    },
  },
  message: (w, d) => ({
    subject: w.subject,
    blocks: [{ p: w.taken(d.newLogin) }, { p: w.ifYou }, { p: w.ifNot }],
  }),
});
