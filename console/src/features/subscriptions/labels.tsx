import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Subscription, SubscriptionStatus } from './queries';

const COLORS: Record<SubscriptionStatus, string> = { pending: 'yellow', active: 'green', suspended: 'orange', expired: 'gray', cancelled: 'red' };

/** A subscription's status as a badge with its word (never colour alone); dark text on a light tint keeps AA contrast. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('subscriptions');
  const known = (COLORS as Record<string, string | undefined>)[status];
  return (
    <Badge color={known ?? 'gray'} variant="light" c="gray.9" tt="none" miw="max-content">
      {known ? t(`status.${status as SubscriptionStatus}`) : status}
    </Badge>
  );
}

/** "1-year commitment, billed monthly". */
export function useOfferWords() {
  const { t } = useTranslation('subscriptions');
  return (sub: Pick<Subscription, 'term' | 'billingPeriod'>) => `${t(`term.${sub.term}`)}, ${t(`billing.${sub.billingPeriod}`)}`;
}

/** Input descriptions darker than Mantine's dimmed gray, which is below AA contrast on white. */
export const readableDescription = { description: { color: 'var(--mantine-color-gray-7)' } };
