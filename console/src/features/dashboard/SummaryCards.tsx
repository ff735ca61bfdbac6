import { Badge, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { AnchorLink } from '../../ui/links';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import type { AccountOverview } from './queries';

/** The orders still under way: how many, the newest few, and the way to the order list. */
export function OpenOrdersCard({ openOrders }: { openOrders: AccountOverview['openOrders'] }) {
  const { t } = useTranslation('dashboard');
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="open-orders-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="open-orders-title">
          {t('orders.title')}
        </Title>
        <Text size="xl" fw={700}>
          {openOrders.count ? t('orders.count', { count: openOrders.count }) : t('orders.none')}
        </Text>
        {openOrders.items.length ? (
          <List spacing={4} size="sm" listStyleType="none" aria-label={t('orders.latest')}>
            {openOrders.items.map((o) => (
              <List.Item key={o.id}>
                <Group gap="xs" wrap="wrap">
                  <AnchorLink to="/orders/$orderId" params={{ orderId: o.id }} size="sm">
                    {o.number}
                  </AnchorLink>
                  <Badge variant="light" color="blue" autoContrast>
                    {t(`orders.status.${o.status}`)}
                  </Badge>
                </Group>
              </List.Item>
            ))}
          </List>
        ) : null}
        <AnchorLink to="/orders" search={{}} size="sm">
          {t('orders.seeAll')}
        </AnchorLink>
      </Stack>
    </Card>
  );
}

/** What the account owes: the total of unpaid and overdue invoices, and the next due date. */
export function UnpaidInvoicesCard({ unpaid }: { unpaid: AccountOverview['unpaidInvoices'] }) {
  const { t } = useTranslation('dashboard');
  const f = useFormat();
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-labelledby="unpaid-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="unpaid-title">
          {t('invoices.title')}
        </Title>
        {unpaid.count ? (
          <>
            <Text size="xl" fw={700}>
              {t('invoices.totalDue', { amount: f.money(unpaid.total) })}
            </Text>
            <Group gap="xs">
              <Text size="sm">{t('invoices.count', { count: unpaid.count })}</Text>
              {unpaid.overdueCount ? (
                <Badge color="red" variant="light" autoContrast>
                  {t('invoices.overdue', { count: unpaid.overdueCount })}
                </Badge>
              ) : null}
            </Group>
            {unpaid.nextDueAt ? <Text size="sm">{t('invoices.nextDue', { date: f.date(unpaid.nextDueAt) })}</Text> : null}
          </>
        ) : (
          <Text size="xl" fw={700}>
            {t('invoices.none')}
          </Text>
        )}
        <AnchorLink to="/billing/invoices" search={{}} size="sm">
          {t('invoices.seeAll')}
        </AnchorLink>
      </Stack>
    </Card>
  );
}
