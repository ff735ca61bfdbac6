import { Badge, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useNavigate, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { Notice } from '../auth/Notice';
import { readable } from '../shop/readable';
import { useDeleteWebhook, useDeliveries, useEnableWebhook, useRedeliver, useWebhook, type Delivery, type Webhook } from './queries';
import { disabledReason, WebhookStatusBadge } from './parts';

/**
 * One webhook endpoint: what it receives, its status (a disabled one says why and can be enabled
 * again), and its delivery log, newest first, with a redelivery per delivery. Admins delete it
 * after a confirmation.
 */
export function WebhookPage() {
  const { t } = useTranslation('integrations');
  const { webhookId } = useParams({ from: '/app/webhooks/$webhookId' });
  const me = useMe();
  const webhook = useWebhook(webhookId);
  const navigate = useNavigate();
  const enable = useEnableWebhook();
  const remove = useDeleteWebhook();
  const canManage = me.data?.role === 'admin';
  const f = useFormat();
  const w = webhook.data;
  // Staff on a customer's endpoint go back to that customer's endpoints.
  const listSearch = w && me.data && w.accountId !== me.data.accountId ? { accountId: w.accountId } : {};

  const confirmDelete = (w: Webhook) =>
    modals.openConfirmModal({
      title: t('endpoint.delete.title'),
      children: (
        <Stack gap="xs">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {w.url}
          </Text>
          <Text size="sm">{t('endpoint.delete.body')}</Text>
        </Stack>
      ),
      labels: { confirm: t('endpoint.delete.confirm'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': t('actions.close', { ns: 'common' }) },
      onConfirm: () =>
        remove.mutate(w, {
          onSuccess: async () => {
            notifications.show({ color: 'green', message: t('endpoint.delete.done') });
            await navigate({ to: '/webhooks', search: listSearch });
          },
        }),
    });

  return (
    <Stack style={readable}>
      <AnchorLink to="/webhooks" search={listSearch} size="sm">
        {t('endpoint.back')}
      </AnchorLink>
      <PageHeader title={t('endpoint.title')} aside={w ? <WebhookStatusBadge status={w.status} /> : null}>
        {w && canManage ? (
          <Button color="red.9" variant="outline" onClick={() => confirmDelete(w)} loading={remove.isPending}>
            {t('endpoint.delete.open')}
          </Button>
        ) : null}
      </PageHeader>
      <ErrorAlert error={webhook.error ?? remove.error} />
      {webhook.isPending ? (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      ) : null}
      {w ? (
        <>
          {w.status === 'disabled' ? (
            <Notice color="red" variant="light" role="status" title={t('endpoint.disabledTitle')}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{disabledReason(t, w)}</Text>
                <Text size="sm">{t('endpoint.disabledBody')}</Text>
                {canManage ? (
                  <Button
                    size="sm"
                    onClick={() => enable.mutate(w, { onSuccess: () => notifications.show({ color: 'green', message: t('endpoint.enabled') }) })}
                    loading={enable.isPending}
                  >
                    {t('endpoint.enable')}
                  </Button>
                ) : null}
                <ErrorAlert error={enable.error} />
              </Stack>
            </Notice>
          ) : null}
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="webhook-summary">
            <Title order={2} size="h4" id="webhook-summary" mb="sm">
              {t('endpoint.summary')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" component="dl" m={0}>
              <Field label={t('webhooks.column.url')}>
                <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {w.url}
                </Text>
              </Field>
              <Field label={t('webhooks.create.description')}>{w.description || t('state.none', { ns: 'common' })}</Field>
              <Field label={t('webhooks.column.eventTypes')}>
                <Group gap={4}>
                  {w.eventTypes.map((e) => (
                    <Badge key={e} variant="outline" color="gray.8" tt="none" ff="monospace" fw={500}>
                      {e}
                    </Badge>
                  ))}
                </Group>
              </Field>
              <Field label={t('webhooks.column.created')}>{f.dateTime(w.createdAt)}</Field>
              <Field label={t('endpoint.id')}>
                <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {w.id}
                </Text>
              </Field>
            </SimpleGrid>
          </Paper>
          <Deliveries webhook={w} canManage={canManage} />
        </>
      ) : null}
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="sm" fw={600}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </div>
  );
}

const DELIVERY_COLOR: Record<Delivery['status'], string> = { pending: 'yellow.9', delivered: 'teal.9', failed: 'red.9' };

function DeliveryStatusBadge({ status }: { status: Delivery['status'] }) {
  const { t } = useTranslation('integrations');
  return (
    <Badge color={DELIVERY_COLOR[status]} variant="filled" tt="none" miw="max-content">
      {t(`delivery.status.${status}`)}
    </Badge>
  );
}

/** The endpoint's deliveries, newest first, 25 at a time, asked again every few seconds while the page is open. */
function Deliveries({ webhook, canManage }: { webhook: Webhook; canManage: boolean }) {
  const { t } = useTranslation('integrations');
  const f = useFormat();
  const narrow = useMediaQuery('(max-width: 48em)');
  const deliveries = useDeliveries(webhook.id);
  const redeliver = useRedeliver(webhook.id);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];

  const event = (d: Delivery) => (
    <>
      <Text size="sm" ff="monospace" fw={600}>
        {d.eventType}
      </Text>
      <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {d.eventId}
      </Text>
    </>
  );
  const response = (d: Delivery) => (d.lastStatusCode ? String(d.lastStatusCode) : t('delivery.noResponse'));
  const when = (d: Delivery) => f.dateTime(d.lastAttemptAt ?? d.createdAt);
  const action = (d: Delivery) =>
    canManage ? (
      <Button
        size="xs"
        variant="default"
        onClick={() => redeliver.mutate(d, { onSuccess: () => notifications.show({ color: 'green', message: t('delivery.redelivered', { event: d.eventId }) }) })}
        loading={redeliver.isPending && redeliver.variables?.id === d.id}
        aria-label={t('delivery.redeliverFor', { event: d.eventId })}
      >
        {t('delivery.redeliver')}
      </Button>
    ) : null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="webhook-deliveries">
      <Title order={2} size="h4" id="webhook-deliveries" mb="xs">
        {t('delivery.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('delivery.intro')}
      </Text>
      <ErrorAlert error={deliveries.error ?? redeliver.error} />
      {deliveries.isPending ? <Loader aria-label={t('state.loading', { ns: 'common' })} /> : null}
      {deliveries.isSuccess && items.length === 0 ? <Text role="status">{t('delivery.empty')}</Text> : null}
      {items.length ? (
        <Table.ScrollContainer minWidth={narrow ? 300 : 860} type="native" tabIndex={0} role="region" aria-label={t('delivery.table')}>
          <Table striped aria-label={t('delivery.table')} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('delivery.column.event')}</Table.Th>
                <Table.Th scope="col">{t('delivery.column.status')}</Table.Th>
                {narrow ? null : <Table.Th scope="col">{t('delivery.column.attempts')}</Table.Th>}
                {narrow ? null : <Table.Th scope="col">{t('delivery.column.response')}</Table.Th>}
                {narrow ? null : <Table.Th scope="col">{t('delivery.column.time')}</Table.Th>}
                {narrow || !canManage ? null : <Table.Th scope="col">{t('delivery.column.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) =>
                narrow ? (
                  <Table.Tr key={d.id} style={{ verticalAlign: 'top' }}>
                    <Table.Td>
                      <Stack gap={4}>
                        {event(d)}
                        <Text size="xs">{when(d)}</Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={6} align="flex-start">
                        <DeliveryStatusBadge status={d.status} />
                        <Text size="xs">{t('delivery.attemptsResponse', { attempts: d.attempts, response: response(d) })}</Text>
                        {action(d)}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={d.id} style={{ verticalAlign: 'top' }}>
                    <Table.Td>{event(d)}</Table.Td>
                    <Table.Td>
                      <DeliveryStatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>{response(d)}</Table.Td>
                    <Table.Td>{when(d)}</Table.Td>
                    {canManage ? <Table.Td>{action(d)}</Table.Td> : null}
                  </Table.Tr>
                ),
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {deliveries.hasNextPage ? (
        <Group mt="sm">
          <Button variant="default" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
            {t('actions.loadMore', { ns: 'common' })}
          </Button>
        </Group>
      ) : null}
    </Paper>
  );
}
