import { defineTemplate } from '../layout.ts';
import { resetBlocks, resetSchema } from './password-reset.ts';

/**
 * Sent when five failed logins lock the account (SPEC §3.2): the unlock-and-reset link, so a lock
 * caused by someone else is not a denial of service.
 */
export const accountLocked = defineTemplate({
  schema: resetSchema,
  locales: {
    en: (d, f) => ({
      subject: 'Your portal account has been locked',
      greeting: d.recipientName,
      blocks: [
        { p: 'Your portal account was locked after five failed sign-in attempts. To unlock it, choose a new password using the link below.' },
        ...resetBlocks('en', d, f),
        { p: 'If these attempts were not yours, someone may know your login: choosing a new password keeps them out.' },
      ],
    }),
    es: (d, f) => ({
      subject: 'Su cuenta del portal ha sido bloqueada',
      greeting: d.recipientName,
      blocks: [
        { p: 'Su cuenta del portal se ha bloqueado tras cinco intentos fallidos de inicio de sesión. Para desbloquearla, elija una nueva contraseña mediante el siguiente enlace.' },
        ...resetBlocks('es', d, f),
        { p: 'Si esos intentos no fueron suyos, alguien puede conocer su inicio de sesión: una nueva contraseña lo mantiene fuera.' },
      ],
    }),
    de: (d, f) => ({
      subject: 'Ihr Portalkonto wurde gesperrt',
      greeting: d.recipientName,
      blocks: [
        { p: 'Ihr Portalkonto wurde nach fünf fehlgeschlagenen Anmeldeversuchen gesperrt. Um es zu entsperren, wählen Sie über den folgenden Link ein neues Passwort.' },
        ...resetBlocks('de', d, f),
        { p: 'Falls diese Versuche nicht von Ihnen stammen, kennt möglicherweise jemand Ihren Login: Ein neues Passwort hält ihn fern.' },
      ],
    }),
  },
});
