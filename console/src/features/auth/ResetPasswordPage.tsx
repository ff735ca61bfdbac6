import { useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LinkExpired } from './LinkExpired';
import { PasswordFromLink } from './PasswordFromLink';
import { useConfirmReset } from './queries';

/**
 * The emailed reset link (`/reset-password?token=`, asked for or sent with a lock): a new
 * password, which also unlocks the user; the console then signs in with it. A used or expired
 * link (410) offers to ask for a new one.
 */
export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const { token } = useSearch({ from: '/reset-password' });
  const reset = useConfirmReset();
  return (
    <PasswordFromLink
      token={token}
      setPassword={reset}
      texts={{ title: t('reset.title'), intro: t('reset.intro'), submit: t('reset.submit') }}
      missing={<LinkExpired title={t('link.missing')} to="/forgot-password" action={t('reset.askAgain')} />}
      expired={
        <LinkExpired title={t('reset.expiredTitle')} to="/forgot-password" action={t('reset.askAgain')}>
          {t('reset.expired')}
        </LinkExpired>
      }
    />
  );
}
