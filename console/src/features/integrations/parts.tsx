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
 * Why an endpoint is disabled, in the reader's language: the API's reason after 24 hours of failed
 * deliveries ("Deliveries failed for 24 hours (last: HTTP 503)") is put in words with its last
 * answer; no reason is an endpoint disabled by an admin; any other reason is shown as the API gives it.
 */
export function disabledReason(t: ReturnType<typeof useTranslation<'integrations'>>['t'], reason: string | null | undefined): string {
  if (!reason) return t('webhooks.disabledReason.byHand');
  const failed = /^Deliveries failed for 24 hours \(last: (.+)\)$/.exec(reason);
  if (failed) return t('webhooks.disabledReason.failures', { last: failed[1]!.replace(/^no answer$/, t('delivery.noResponse')) });
  return reason;
}
