import * as z from 'zod';
import { defineTemplate, fields, type Block, type Formatters, type Locale } from '../layout.ts';

/** A password-reset link (SPEC §3.2): single use, valid one hour; confirming it also unlocks. */
export const resetSchema = z.object({
  recipientName: fields.text,
  link: fields.url,
  expiresAt: fields.instant,
});

type ResetData = z.output<typeof resetSchema>;

/** The call to action and its validity, shared with `account-locked`. */
export function resetBlocks(locale: Locale, d: ResetData, f: Formatters): Block[] {
  const until = f.dateTime(d.expiresAt);
  switch (locale) {
    case 'en':
      return [
        { button: { label: 'Choose a new password', url: d.link } },
        { p: `The link works once and is valid for one hour, until ${until}. After that, ask for a new one on the sign-in page.` },
      ];
    case 'es':
      return [
        { button: { label: 'Elegir una nueva contraseña', url: d.link } },
        { p: `El enlace funciona una sola vez y es válido durante una hora, hasta el ${until}. Después, solicite uno nuevo en la página de inicio de sesión.` },
      ];
    case 'de':
      return [
        { button: { label: 'Neues Passwort wählen', url: d.link } },
        { p: `Der Link funktioniert einmal und ist eine Stunde gültig, bis zum ${until}. Danach können Sie auf der Anmeldeseite einen neuen anfordern.` },
      ];
  }
}

export const passwordReset = defineTemplate({
  schema: resetSchema,
  locales: {
    en: (d, f) => ({
      subject: 'Reset your portal password',
      greeting: d.recipientName,
      blocks: [
        { p: 'Someone asked to reset the password of your portal account. If it was you, choose a new password using the link below.' },
        ...resetBlocks('en', d, f),
        { p: 'If you did not ask for this, you can ignore this message: your password stays as it is.' },
      ],
    }),
    es: (d, f) => ({
      subject: 'Restablezca su contraseña del portal',
      greeting: d.recipientName,
      blocks: [
        { p: 'Alguien ha solicitado restablecer la contraseña de su cuenta del portal. Si ha sido usted, elija una nueva contraseña mediante el siguiente enlace.' },
        ...resetBlocks('es', d, f),
        { p: 'Si no lo ha solicitado, puede ignorar este mensaje: su contraseña no cambia.' },
      ],
    }),
    de: (d, f) => ({
      subject: 'Setzen Sie Ihr Portal-Passwort zurück',
      greeting: d.recipientName,
      blocks: [
        { p: 'Jemand hat das Zurücksetzen des Passworts Ihres Portalkontos angefordert. Wenn Sie das waren, wählen Sie über den folgenden Link ein neues Passwort.' },
        ...resetBlocks('de', d, f),
        { p: 'Falls Sie dies nicht angefordert haben, können Sie diese Nachricht ignorieren: Ihr Passwort bleibt unverändert.' },
      ],
    }),
  },
});
