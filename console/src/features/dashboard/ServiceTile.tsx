import { Badge, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { AnchorLink } from '../../ui/links';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import type { Subscription } from './queries';

const STATUS_COLORS: Record<Subscription['status'], string> = { pending: 'blue', active: 'green', suspended: 'red', expired: 'gray', cancelled: 'gray' };

/** A subscription's status in words (never colour alone). */
export function SubscriptionStatusBadge({ status }: { status: Subscription['status'] }) {
  const { t } = useTranslation('dashboard');
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" autoContrast miw="max-content" style={{ flexShrink: 0 }}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/**
 * One purchased service on the dashboard (the seed's "tile"): product, domain, license use as a
 * bar and in words, status, term end and renewal; its name opens the subscription.
 */
export function ServiceTile({ subscription: s }: { subscription: Subscription }) {
  const { t } = useTranslation('dashboard');
  const f = useFormat();
  const used = s.quantity > 0 ? Math.round((s.assignedCount / s.quantity) * 100) : 0;
  const licenses = t('services.licenses', { assigned: f.number(s.assignedCount), total: f.number(s.quantity) });
  return (
    <Card withBorder padding="md" radius="md" component="article" aria-labelledby={`tile-${s.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
          <Title order={3} size="h4" id={`tile-${s.id}`}>
            <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: s.id }} inherit>
              {s.name}
            </AnchorLink>
          </Title>
          <SubscriptionStatusBadge status={s.status} />
        </Group>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {s.domain}
        </Text>
        <Stack gap={4}>
          {/* Mantine's own aria says "40%": a screen reader hears the licenses instead. */}
          <Progress.Root>
            <Progress.Section
              value={used}
              withAria={false}
              role="progressbar"
              aria-label={t('services.licensesLabel')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={used}
              aria-valuetext={licenses}
            />
          </Progress.Root>
          <Text size="sm">{licenses}</Text>
        </Stack>
        <Text size="sm">{s.currentTermEnd ? t('services.termEnds', { date: f.date(s.currentTermEnd) }) : t('services.noTermYet')}</Text>
        <Group gap="xs">
          <Badge variant="outline" color={s.autoRenew ? 'blue' : 'gray'} autoContrast>
            {s.autoRenew ? t('services.autoRenewOn') : t('services.autoRenewOff')}
          </Badge>
          {s.selfService ? (
            <Badge variant="outline" color="gray" autoContrast>
              {t('services.selfService', { name: s.buyer.name })}
            </Badge>
          ) : null}
        </Group>
      </Stack>
    </Card>
  );
}
