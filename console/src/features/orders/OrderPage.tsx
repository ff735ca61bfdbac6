import { Alert, Anchor, Group, List, Paper, SimpleGrid, Skeleton, Stack, Stepper, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { personaOf, useMe, type Persona } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { MarginsSection } from '../billing/FiguresTable';
import { showsFigures } from '../billing/format';
import { readable } from '../shop/readable';
import { useActorLabel } from './actors';
import { OrderStatusBadge } from './OrderStatusBadge';
import { isEnded, useOrder, type Order } from './queries';
import { StaffActions } from './StaffActions';

const STEPS = ['new', 'open', 'provisioning', 'completed'] as const;

/**
 * Order tracking: where the order is and what it waits for (asked again every 2 s until it ends),
 * its lines, history and subscriptions. Staff also get the action of the gate it waits at (open,
 * provision), the vendor's provisioning status, and cancel while it is new or open; the seller and
 * the accounts above it, the lines' cost, sell price and margin as the API gives them.
 */
export function OrderPage() {
  const { t } = useTranslation('orders');
  const { orderId } = useParams({ from: '/app/orders/$orderId' });
  const order = useOrder(orderId);
  const me = useMe();
  const persona = me.data ? personaOf(me.data) : undefined;

  return (
    <Stack style={readable}>
      <Anchor component={Link} to="/orders" size="sm">
        {persona === 'staffAdmin' || persona === 'staffUser' ? t('queue.title') : t('list.title')}
      </Anchor>
      {order.isPending || !persona ? (
        <>
          <PageHeader title={t('tracking.title')} />
          {me.error ? <ErrorAlert error={me.error} /> : <Skeleton h={300} />}
        </>
      ) : order.error ? (
        <>
          <PageHeader title={t('tracking.title')} />
          {order.error instanceof ApiError && order.error.status === 404 ? <Alert color="yellow">{t('tracking.notFound')}</Alert> : <ErrorAlert error={order.error} />}
        </>
      ) : (
        <Tracking order={order.data} persona={persona} />
      )}
    </Stack>
  );
}

function Tracking({ order, persona }: { order: Order; persona: Persona }) {
  const { t } = useTranslation('orders');
  const f = useFormat();
  const staff = persona === 'staffAdmin' || persona === 'staffUser';
  const by = useActorLabel(staff);
  const reached = order.statusHistory.map((h) => h.status);
  const lastStep = Math.max(...STEPS.map((s, i) => (reached.includes(s) || order.status === s ? i : -1)));
  const active = order.status === 'completed' ? STEPS.length : order.status === 'failed' || order.status === 'cancelled' ? lastStep + 1 : STEPS.indexOf(order.status as (typeof STEPS)[number]);
  const reason = order.failureReason ?? [...order.statusHistory].reverse().find((h) => h.reason)?.reason;
  const where = staff
    ? order.status === 'failed'
      ? t('staff.where.failed')
      : order.waitingAt
        ? t(`staff.where.${order.waitingAt}`)
        : t(`staff.where.${order.status === 'new' || order.status === 'open' ? 'moving' : order.status}`)
    : order.status === 'failed'
      ? reason
        ? t('tracking.waiting.failed', { reason })
        : t('tracking.waiting.failedNoReason')
      : order.waitingAt === 'partner'
        ? t('tracking.waiting.partner')
        : t(`tracking.waiting.${order.status}`);
  const customer = order.accountName ?? order.accountId;

  return (
    <Stack>
      <PageHeader title={t('tracking.heading', { number: order.number })}>
        <OrderStatusBadge status={order.status} />
      </PageHeader>
      {staff && order.status === 'failed' ? (
        <Alert color="red.9" variant="filled" title={t('staff.failedTitle')}>
          {reason ?? t('staff.failedNoReason')}
        </Alert>
      ) : null}
      <Text size="sm">
        {t(`type.${order.type}`)} · {t('tracking.placed', { date: f.dateTime(order.createdAt) })}
        {order.automatic ? ` · ${t('staff.automatic')}` : ''}
      </Text>
      {staff ? (
        <Group gap="md">
          <Text size="sm">
            <Text span fw={600}>
              {t('queue.customer')}:
            </Text>{' '}
            <AnchorLink to="/customers/$accountId" params={{ accountId: order.accountId }}>
              {customer}
            </AnchorLink>
          </Text>
          <AnchorLink to="/orders" search={{ accountId: order.accountId }} size="sm">
            {t('staff.customerOrders')}
          </AnchorLink>
        </Group>
      ) : null}

      {staff ? <StaffActions order={order} persona={persona} /> : null}

      <Paper withBorder p="md">
        <Stack>
          <Title order={2} size="h3">
            {staff ? t('staff.whereTitle') : t('tracking.where')}
          </Title>
          <Alert
            color={order.status === 'completed' ? 'green' : order.status === 'failed' ? 'red' : order.status === 'cancelled' ? 'gray' : 'blue'}
            role="status"
            aria-live="polite"
          >
            <Text fw={600}>{where}</Text>
            {!isEnded(order.status) ? <Text size="sm">{staff ? t('staff.polling') : t('tracking.polling')}</Text> : null}
          </Alert>
          <Stepper active={active} size="sm" color={order.status === 'failed' || order.status === 'cancelled' ? 'red' : undefined} allowNextStepsSelect={false}>
            {STEPS.map((s) => {
              const at = order.statusHistory.find((h) => h.status === s)?.at;
              return <Stepper.Step key={s} label={staff ? t(`status.${s}`) : t(`tracking.steps.${s}`)} description={at ? f.dateTime(at) : undefined} loading={order.status === s && !isEnded(order.status)} />;
            })}
          </Stepper>
        </Stack>
      </Paper>

      <Title order={2} size="h3">
        {t('tracking.lines')}
      </Title>
      <Table.ScrollContainer minWidth={600}>
        <Table aria-label={t('tracking.linesTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tracking.product')}</Table.Th>
              <Table.Th>{t('tracking.offer')}</Table.Th>
              <Table.Th ta="right">{t('tracking.quantity')}</Table.Th>
              <Table.Th ta="right">{t('tracking.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('tracking.lineTotal')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.lines.map((l, i) => (
              <Table.Tr key={`${l.offerId}-${i}`}>
                <Table.Td>{l.name}</Table.Td>
                <Table.Td>{t(`offer.${l.term}_${l.billingPeriod}` as 'offer.P1Y_annual', { defaultValue: `${l.term} / ${l.billingPeriod}` })}</Table.Td>
                <Table.Td ta="right">{f.number(l.quantity)}</Table.Td>
                <Table.Td ta="right">{f.money(l.unitPrice)}</Table.Td>
                <Table.Td ta="right">{f.money(l.total)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" gap="sm">
        <Text fw={700} size="lg">
          {t('tracking.total')}: {f.money(order.total)}
        </Text>
        {order.invoiceId ? (
          <AnchorLink to="/billing/invoices/$invoiceId" params={{ invoiceId: order.invoiceId }}>
            {t('tracking.invoice')}
          </AnchorLink>
        ) : null}
      </Group>
      {/* Cost, sell and margin per line: only the seller and the accounts above it get `figures`. */}
      {showsFigures(order.lines) ? (
        <MarginsSection
          id="order-margins"
          rows={order.lines.map((l, i) => ({
            key: `${l.offerId}-${i}`,
            label: (
              <>
                <Text size="sm">{l.name}</Text>
                <Text size="xs">
                  {t(`offer.${l.term}_${l.billingPeriod}` as 'offer.P1Y_annual', { defaultValue: `${l.term} / ${l.billingPeriod}` })} · {t('tracking.licenseCount', { count: l.quantity })}
                </Text>
              </>
            ),
            figures: l.figures,
          }))}
        />
      ) : null}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('tracking.domain')}
            </Title>
            <Text style={{ overflowWrap: 'anywhere' }}>{order.domain.domain ? (order.domain.mode === 'create' ? t('tracking.domainNew', { domain: order.domain.domain }) : order.domain.domain) : '—'}</Text>
            {staff ? (
              <AnchorLink to="/domains" search={{ accountId: order.accountId }} size="sm">
                {t('staff.customerDomains')}
              </AnchorLink>
            ) : null}
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('tracking.subscriptions')}
            </Title>
            {order.status === 'completed' && order.subscriptionIds.length > 0 ? (
              <List>
                {order.subscriptionIds.map((id) => {
                  const line = order.lines.find((l) => l.subscriptionId === id);
                  return (
                    <List.Item key={id}>
                      <Anchor component={Link} to={`/subscriptions/${id}`}>
                        {line?.name ?? id}
                      </Anchor>
                    </List.Item>
                  );
                })}
              </List>
            ) : (
              <Text size="sm">{t('tracking.noSubscriptions')}</Text>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>

      <Title order={2} size="h3">
        {t('tracking.history')}
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table aria-label={t('tracking.historyTable')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('list.status')}</Table.Th>
              <Table.Th>{t('tracking.at')}</Table.Th>
              <Table.Th>{t('tracking.by')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.statusHistory.map((h, i) => (
              <Table.Tr key={`${h.status}-${i}`}>
                <Table.Td>
                  <Group gap="xs">
                    <OrderStatusBadge status={h.status} />
                    {h.reason ? <Text size="sm">{h.reason}</Text> : null}
                  </Group>
                </Table.Td>
                <Table.Td>{f.dateTime(h.at)}</Table.Td>
                <Table.Td>{by(h.by)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
