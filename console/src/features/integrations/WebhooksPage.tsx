import { Badge, Button, Center, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { AccountScope } from '../customers/AccountScope';
import { readable } from '../shop/readable';
import { useIntegrationsAccount } from './account';
import { CreateWebhookModal } from './CreateWebhookModal';
import { useWebhooks, type ShownSecret, type Webhook } from './queries';
import { SecretModal } from './SecretModal';
import { disabledReason, WebhookStatusBadge } from './parts';

/**
 * Webhooks (docs/console.md#webhooks): the account's endpoints, each with the event types it
 * receives and whether it is active or was disabled (and why). Admins add one (its signing secret
 * shown once); each endpoint's page has its deliveries.
 */
export function WebhooksPage() {
  const { t } = useTranslation('integrations');
  const search = useSearch({ from: '/app/webhooks' });
  const { me, accountId, other, canManage } = useIntegrationsAccount(search.accountId);
  const webhooks = useWebhooks(accountId);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<ShownSecret | undefined>();
  const items = webhooks.data?.items ?? [];

  return (
    <Stack style={readable}>
      <PageHeader title={t('webhooks.title')}>
        {canManage && accountId ? <Button onClick={() => setCreating(true)}>{t('webhooks.create.open')}</Button> : null}
      </PageHeader>
      <AccountScope accountId={other ? accountId : undefined} />
      <Text maw={820}>{t('webhooks.intro')}</Text>
      <ErrorAlert error={webhooks.error ?? me.error} />
      {webhooks.isPending && accountId ? (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      ) : null}
      {webhooks.isSuccess && items.length === 0 ? <Text role="status">{t('webhooks.empty')}</Text> : null}
      {items.length ? <WebhooksTable webhooks={items} /> : null}
      {accountId ? (
        <CreateWebhookModal
          accountId={accountId}
          opened={creating}
          onClose={() => setCreating(false)}
          onCreated={(w) => {
            setCreating(false);
            setShown({ name: w.url, secret: w.secret });
          }}
        />
      ) : null}
      <SecretModal shown={shown} kind="webhook" onClose={() => setShown(undefined)} />
    </Stack>
  );
}

/** The endpoints: each URL opens its page; at 360 px the event types go under the URL. */
function WebhooksTable({ webhooks }: { webhooks: Webhook[] }) {
  const { t } = useTranslation('integrations');
  const f = useFormat();
  const narrow = useMediaQuery('(max-width: 48em)');
  const types = (w: Webhook) => (
    <Group gap={4}>
      {w.eventTypes.map((e) => (
        <Badge key={e} variant="outline" color="gray.8" tt="none" ff="monospace" fw={500}>
          {e}
        </Badge>
      ))}
    </Group>
  );
  const endpoint = (w: Webhook) => (
    <>
      <AnchorLink to="/webhooks/$webhookId" params={{ webhookId: w.id }} fw={500} size="sm" style={{ overflowWrap: 'anywhere' }}>
        {w.url}
      </AnchorLink>
      {w.description ? (
        <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
          {w.description}
        </Text>
      ) : null}
    </>
  );
  const status = (w: Webhook) => (
    <Stack gap={4} align="flex-start">
      <WebhookStatusBadge status={w.status} />
      {w.status === 'disabled' ? <Text size="xs">{disabledReason(t, w)}</Text> : null}
    </Stack>
  );

  return (
    <Table.ScrollContainer minWidth={narrow ? 300 : 860} type="native" tabIndex={0} role="region" aria-label={t('webhooks.table')}>
      <Table striped aria-label={t('webhooks.table')} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('webhooks.column.url')}</Table.Th>
            {narrow ? null : <Table.Th scope="col">{t('webhooks.column.eventTypes')}</Table.Th>}
            <Table.Th scope="col">{t('webhooks.column.status')}</Table.Th>
            {narrow ? null : <Table.Th scope="col">{t('webhooks.column.created')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {webhooks.map((w) => (
            <Table.Tr key={w.id} style={{ verticalAlign: 'top' }}>
              <Table.Td>
                <Stack gap={6}>
                  {endpoint(w)}
                  {narrow ? types(w) : null}
                </Stack>
              </Table.Td>
              {narrow ? null : <Table.Td>{types(w)}</Table.Td>}
              <Table.Td>{status(w)}</Table.Td>
              {narrow ? null : <Table.Td>{f.dateTime(w.createdAt)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
