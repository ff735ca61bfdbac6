import * as z from 'zod';
import { defineTemplate, fields } from '../layout.ts';

/**
 * A user asked to change its own login to an address that is already a login (SPEC §3.2): the
 * address is told so, instead of a confirmation link. The requester gets the same 202 either way.
 */
export const loginChangeTaken = defineTemplate({
  schema: z.object({
    recipientName: fields.text,
    newLogin: fields.text,
  }),
  locales: {
    en: (d) => ({
      subject: 'This address is already a portal login',
      greeting: d.recipientName,
      blocks: [
        { p: `Someone asked to use ${d.newLogin} as the login of a cloud license portal account. This address is already the login of an account, so nothing was changed.` },
        { p: 'If it was you, sign in with this address (you can ask for a password reset on the sign-in page), or choose another address.' },
        { p: 'If you did not ask for this, you can ignore this message.' },
      ],
    }),
    es: (d) => ({
      subject: 'Esta dirección ya es un inicio de sesión del portal',
      greeting: d.recipientName,
      blocks: [
        { p: `Alguien ha solicitado usar ${d.newLogin} como inicio de sesión de una cuenta del portal de licencias en la nube. Esta dirección ya es el inicio de sesión de una cuenta, por lo que no se ha cambiado nada.` },
        { p: 'Si ha sido usted, inicie sesión con esta dirección (puede solicitar el restablecimiento de la contraseña en la página de inicio de sesión) o elija otra dirección.' },
        { p: 'Si no lo ha solicitado, puede ignorar este mensaje.' },
      ],
    }),
    de: (d) => ({
      subject: 'Diese Adresse ist bereits ein Portal-Login',
      greeting: d.recipientName,
      blocks: [
        { p: `Jemand möchte ${d.newLogin} als Login eines Kontos im Cloud-Lizenzportal verwenden. Diese Adresse ist bereits der Login eines Kontos, daher wurde nichts geändert.` },
        { p: 'Falls Sie das waren, melden Sie sich mit dieser Adresse an (auf der Anmeldeseite können Sie ein neues Passwort anfordern), oder wählen Sie eine andere Adresse.' },
        { p: 'Falls Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren.' },
      ],
    }),
  },
});
