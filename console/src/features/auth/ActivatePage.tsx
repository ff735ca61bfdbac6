import { useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LinkExpired } from './LinkExpired';
import { Notice } from './Notice';
import { PasswordFromLink } from './PasswordFromLink';
import { useActivate } from './queries';

/**
 * The emailed invitation (`/activate?token=`): the new user chooses a password, which makes it
 * `ready`; the console then signs in with it. A used or expired link (410) says to ask the
 * admin for a new activation email.
 */
export function ActivatePage() {
  const { t } = useTranslation('auth');
  const { token } = useSearch({ from: '/activate' });
  const activate = useActivate();
  return (
    <PasswordFromLink
      token={token}
      setPassword={activate}
      texts={{ title: t('activate.title'), intro: t('activate.intro'), submit: t('activate.submit') }}
      missing={
        <Notice color="yellow" role="alert">
          {t('link.missing')}
        </Notice>
      }
      expired={
        <LinkExpired title={t('activate.expiredTitle')} to="/login" action={t('link.toSignIn')}>
          {t('activate.expired')}
        </LinkExpired>
      }
    />
  );
}
