import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Webhook } from './queries';

/** An endpoint's status in words (the colour only repeats it). */
export function WebhookStatusBadge({ status }: { status: Webhook['status'] }) {
  const { t } = useTranslation('integrations');
  return (
    <Badge color={status === 'active' ? 'teal.9' : 'red.9'} variant="filled" tt="none" miw="max-content">
      {t(`webhooks.status.${status}`)}
    </Badge>
  );
}

/**
 * Why an endpoint is disabled, in the reader's language: after 24 hours of failed deliveries
 * (`deliveries_failed`) with the last answer or error; without a reason, an admin disabled it.
 */
export function disabledReason(t: ReturnType<typeof useTranslation<'integrations'>>['t'], w: Pick<Webhook, 'disabledReason' | 'lastError'>): string {
  if (w.disabledReason !== 'deliveries_failed') return t('webhooks.disabledReason.byHand');
  return t('webhooks.disabledReason.failures', { last: w.lastError ?? t('delivery.noResponse') });
}
