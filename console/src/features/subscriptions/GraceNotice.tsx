import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';

/**
 * A subscription suspended for an unpaid invoice: the day it is cancelled unless the invoice is
 * paid before (docs/product.md "Not paying"). Nothing for any other subscription.
 */
export function GraceNotice({ sub }: { sub: { status: string; cancelsOn?: string | null } }) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  if (sub.status !== 'suspended' || !sub.cancelsOn) return null;
  return (
    <Alert color="red" role="status" title={t('notPaying.title')}>
      {t('notPaying.cancelsOn', { date: f.date(sub.cancelsOn) })}
    </Alert>
  );
}
