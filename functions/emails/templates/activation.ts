import type { Locale } from '../layout.ts';
import { linkEmail, linkEmailSchema, type LinkWords } from '../shapes.ts';

/** The invitation of a new portal user (docs/product.md#portal-users): set a password through the link, valid 48 hours. */
export const activationSchema = linkEmailSchema;

/** The set-password link and its validity, shared with `activation-resent`. */
export const SET_PASSWORD_LINK: Record<Locale, LinkWords> = {
  en: {
    button: 'Set your password',
    validity: (until) => `The link is valid for 48 hours, until ${until}. If it has expired, please ask your administrator for a new one.`,
    after: ['If you were not expecting this message, you can ignore it.'],
  },
  es: {
    button: 'Establecer la contraseña',
    validity: (until) => `El enlace es válido durante 48 horas, hasta el ${until}. Si ha caducado, solicite uno nuevo a su administrador.`,
    after: ['Si no esperaba este mensaje, puede ignorarlo.'],
  },
  de: {
    button: 'Passwort festlegen',
    validity: (until) => `Der Link ist 48 Stunden gültig, bis zum ${until}. Ist er abgelaufen, bitten Sie Ihren Administrator um einen neuen Link.`,
    after: ['Falls Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren.'],
  },
};

export const activation = linkEmail({
  schema: activationSchema,
  link: SET_PASSWORD_LINK,
  words: {
    en: {
      subject: 'Activate your portal account',
      intro: 'An account has been created for you in the cloud license portal. To activate it, please set your password using the link below.',
    },
    es: {
      subject: 'Active su cuenta del portal',
      intro: 'Se ha creado una cuenta para usted en el portal de licencias en la nube. Para activarla, establezca su contraseña mediante el siguiente enlace.',
    },
    de: {
      subject: 'Aktivieren Sie Ihr Portalkonto',
      intro: 'Für Sie wurde ein Konto im Cloud-Lizenzportal angelegt. Um es zu aktivieren, legen Sie bitte über den folgenden Link Ihr Passwort fest.',
    },
  },
});
