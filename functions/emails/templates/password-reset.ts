import type { Locale } from '../layout.ts';
import { linkEmail, linkEmailSchema, type LinkWords } from '../shapes.ts';

/** A password-reset link (docs/product.md#portal-users): single use, valid one hour; confirming it also unlocks. */
export const resetSchema = linkEmailSchema;

/** The reset link and its validity, shared with `account-locked`. */
export const RESET_LINK: Record<Locale, LinkWords> = {
  en: {
    button: 'Choose a new password',
    validity: (until) => `The link works once and is valid for one hour, until ${until}. After that, ask for a new one on the sign-in page.`,
  },
  es: {
    button: 'Elegir una nueva contraseña',
    validity: (until) =>
      `El enlace funciona una sola vez y es válido durante una hora, hasta el ${until}. Después, solicite uno nuevo en la página de inicio de sesión.`,
  },
  de: {
    button: 'Neues Passwort wählen',
    validity: (until) => `Der Link funktioniert einmal und ist eine Stunde gültig, bis zum ${until}. Danach können Sie auf der Anmeldeseite einen neuen anfordern.`,
  },
};

export const passwordReset = linkEmail({
  schema: resetSchema,
  link: RESET_LINK,
  words: {
    en: {
      subject: 'Reset your portal password',
      intro: 'Someone asked to reset the password of your portal account. If it was you, choose a new password using the link below.',
      after: ['If you did not ask for this, you can ignore this message: your password stays as it is.'],
    },
    es: {
      subject: 'Restablezca su contraseña del portal',
      intro: 'Alguien ha solicitado restablecer la contraseña de su cuenta del portal. Si ha sido usted, elija una nueva contraseña mediante el siguiente enlace.',
      after: ['Si no lo ha solicitado, puede ignorar este mensaje: su contraseña no cambia.'],
    },
    de: {
      subject: 'Setzen Sie Ihr Portal-Passwort zurück',
      intro: 'Jemand hat das Zurücksetzen des Passworts Ihres Portalkontos angefordert. Wenn Sie das waren, wählen Sie über den folgenden Link ein neues Passwort.',
      after: ['Falls Sie dies nicht angefordert haben, können Sie diese Nachricht ignorieren: Ihr Passwort bleibt unverändert.'],
    },
  },
});
