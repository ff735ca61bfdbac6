import { linkEmail } from '../shapes.ts';
import { RESET_LINK, resetSchema } from './password-reset.ts';

/**
 * Sent when five failed logins lock the account (docs/product.md#portal-users): the unlock-and-reset link, so a lock
 * caused by someone else is not a denial of service.
 */
export const accountLocked = linkEmail({
  schema: resetSchema,
  link: RESET_LINK,
  words: {
    en: {
      subject: 'Your portal account has been locked',
      intro: 'Your portal account was locked after five failed sign-in attempts. To unlock it, choose a new password using the link below.',
      after: ['If these attempts were not yours, someone may know your login: choosing a new password keeps them out.'],
    },
    es: {
      subject: 'Su cuenta del portal ha sido bloqueada',
      intro:
        'Su cuenta del portal se ha bloqueado tras cinco intentos fallidos de inicio de sesión. Para desbloquearla, elija una nueva contraseña mediante el siguiente enlace.',
      after: ['Si esos intentos no fueron suyos, alguien puede conocer su inicio de sesión: una nueva contraseña lo mantiene fuera.'],
    },
    de: {
      subject: 'Ihr Portalkonto wurde gesperrt',
      intro: 'Ihr Portalkonto wurde nach fünf fehlgeschlagenen Anmeldeversuchen gesperrt. Um es zu entsperren, wählen Sie über den folgenden Link ein neues Passwort.',
      after: ['Falls diese Versuche nicht von Ihnen stammen, kennt möglicherweise jemand Ihren Login: Ein neues Passwort hält ihn fern.'],
    },
  },
});
