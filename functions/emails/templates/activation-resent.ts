import { linkEmail } from '../shapes.ts';
import { activationSchema, SET_PASSWORD_LINK } from './activation.ts';

/** A new activation link sent by an admin (docs/product.md#portal-users): the earlier link stops working. */
export const activationResent = linkEmail({
  schema: activationSchema,
  link: SET_PASSWORD_LINK,
  words: {
    en: {
      subject: 'Your new activation link',
      intro: 'A new activation link has been issued for your portal account; any earlier link no longer works. Please set your password using the link below.',
    },
    es: {
      subject: 'Su nuevo enlace de activación',
      intro: 'Se ha generado un nuevo enlace de activación para su cuenta del portal; los enlaces anteriores ya no son válidos. Establezca su contraseña mediante el siguiente enlace.',
    },
    de: {
      subject: 'Ihr neuer Aktivierungslink',
      intro: 'Für Ihr Portalkonto wurde ein neuer Aktivierungslink erstellt; frühere Links sind nicht mehr gültig. Bitte legen Sie über den folgenden Link Ihr Passwort fest.',
    },
  },
});
