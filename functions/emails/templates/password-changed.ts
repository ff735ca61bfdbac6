import * as z from 'zod/mini';
import { fields } from '../layout.ts';
import { localized } from '../shapes.ts';

/** After a password change, so that a change the user did not make does not go unnoticed. */
export const passwordChanged = localized({
  schema: z.object({
    recipientName: fields.text,
    at: fields.instant,
  }),
  words: {
    en: {
      subject: 'Your password has been changed',
      changed: (at: string) => `The password of your portal account was changed on ${at}.`,
      yours: 'If you made this change, no action is needed.',
      notYours: 'If you did not, please contact your administrator immediately, as your account may be at risk.',
    },
    es: {
      subject: 'Se ha cambiado su contraseña',
      changed: (at: string) => `La contraseña de su cuenta del portal se cambió el ${at}.`,
      yours: 'Si ha realizado usted este cambio, no es necesario que haga nada.',
      notYours: 'Si no ha sido usted, póngase en contacto de inmediato con su administrador, ya que su cuenta podría estar en riesgo.',
    },
    de: {
      subject: 'Ihr Passwort wurde geändert',
      changed: (at: string) => `Das Passwort Ihres Portalkontos wurde am ${at} geändert.`,
      yours: 'Wenn Sie diese Änderung selbst vorgenommen haben, ist nichts weiter zu tun.',
      notYours: 'Falls nicht, wenden Sie sich bitte umgehend an Ihren Administrator, da Ihr Konto gefährdet sein könnte.',
    },
  },
  message: (w, d, f) => ({
    subject: w.subject,
    blocks: [{ p: w.changed(f.dateTime(d.at)) }, { p: w.yours }, { p: w.notYours }],
  }),
});
