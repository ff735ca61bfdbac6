import { Anchor, Badge, Button, Center, Group, Loader, Modal, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { AccountScope } from '../customers/AccountScope';
import { useAccount } from '../customers/queries';
import { readable } from '../shop/readable';
import { scopesFor } from './catalog';
import { CreateApiClientModal } from './CreateApiClientModal';
import { useIntegrationsAccount } from './account';
import { useApiClients, useRevokeApiClient, useRotateSecret, type ApiClient, type ShownSecret } from './queries';
import { SecretModal } from './SecretModal';

/**
 * API clients (docs/console.md#api-clients): the machines that call the API for the account
 * (an ERP, a PSA, a monitoring script) with the OAuth 2.0 client credentials grant. Admins create
 * one with its scopes, see its secret once, rotate the secret with an overlap and revoke it.
 */
export function ApiClientsPage() {
  const { t } = useTranslation('integrations');
  const search = useSearch({ from: '/app/api-clients' });
  const { me, accountId, other, canManage } = useIntegrationsAccount(search.accountId);
  const account = useAccount(accountId);
  const clients = useApiClients(accountId);
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<ApiClient | undefined>();
  const [shown, setShown] = useState<{ secret: ShownSecret; kind: 'client' | 'rotated' } | undefined>();
  const items = clients.data?.items ?? [];
  const scopes = account.data ? scopesFor(account.data.type) : [];

  return (
    <Stack style={readable}>
      <PageHeader title={t('clients.title')}>
        {canManage && accountId && account.data ? <Button onClick={() => setCreating(true)}>{t('clients.create.open')}</Button> : null}
      </PageHeader>
      <AccountScope accountId={other ? accountId : undefined} />
      <Text maw={820}>{t('clients.intro')}</Text>
      <Text size="sm" maw={820}>
        {t('clients.tokenIntro')}{' '}
        <Anchor href="/docs" target="_blank" size="sm">
          {t('clients.docs')}
        </Anchor>
      </Text>
      <ErrorAlert error={clients.error ?? account.error ?? me.error} />
      {clients.isPending && accountId ? (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      ) : null}
      {clients.isSuccess && items.length === 0 ? <Text role="status">{t('clients.empty')}</Text> : null}
      {items.length ? <ClientsTable clients={items} canManage={canManage} onRotate={setRotating} /> : null}
      {accountId ? (
        <CreateApiClientModal
          accountId={accountId}
          scopes={scopes}
          opened={creating}
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setShown({ kind: 'client', secret: { name: c.name, clientId: c.id, secret: c.clientSecret } });
          }}
        />
      ) : null}
      <RotateModal
        client={rotating}
        onClose={() => setRotating(undefined)}
        onRotated={(client, secret, previousUntil) => {
          setRotating(undefined);
          setShown({ kind: 'rotated', secret: { name: client.name, clientId: client.id, secret, previousUntil } });
        }}
      />
      <SecretModal shown={shown?.secret} kind={shown?.kind ?? 'client'} onClose={() => setShown(undefined)} />
    </Stack>
  );
}

function ClientStatusBadge({ status }: { status: ApiClient['status'] }) {
  const { t } = useTranslation('integrations');
  return (
    <Badge color={status === 'active' ? 'teal.9' : 'dark.6'} variant="filled" tt="none" miw="max-content">
      {t(`clients.status.${status}`)}
    </Badge>
  );
}

/** Each client: at 360 px two columns, the client (id, scopes, secrets, dates) and its status with what can be done. */
function ClientsTable({ clients, canManage, onRotate }: { clients: ApiClient[]; canManage: boolean; onRotate: (c: ApiClient) => void }) {
  const { t } = useTranslation('integrations');
  const f = useFormat();
  const narrow = useMediaQuery('(max-width: 48em)');
  const revoke = useRevokeApiClient();

  const confirmRevoke = (c: ApiClient) =>
    modals.openConfirmModal({
      title: t('clients.revoke.title', { name: c.name }),
      children: <Text size="sm">{t('clients.revoke.body')}</Text>,
      labels: { confirm: t('clients.revoke.confirm'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': t('actions.close', { ns: 'common' }) },
      onConfirm: () => revoke.mutate(c, { onSuccess: () => notifications.show({ color: 'green', message: t('clients.revoke.done', { name: c.name }) }) }),
    });

  const scopesOf = (c: ApiClient) => (
    <Group gap={4}>
      {c.scopes.map((s) => (
        <Badge key={s} variant="outline" color="gray.8" tt="none" ff="monospace" fw={500}>
          {s}
        </Badge>
      ))}
    </Group>
  );
  const secretsOf = (c: ApiClient) =>
    c.status === 'active'
      ? c.secrets.map((s) => (
          <Text key={s.id} size="xs">
            {s.expiresAt ? t('clients.secretUntil', { last4: s.last4, date: f.dateTime(s.expiresAt) }) : t('clients.secretCurrent', { last4: s.last4 })}
          </Text>
        ))
      : null;
  const identity = (c: ApiClient) => (
    <>
      <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
        {c.name}
      </Text>
      <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {c.id}
      </Text>
    </>
  );
  const lastUsed = (c: ApiClient) => (c.lastUsedAt ? f.dateTime(c.lastUsedAt) : t('clients.neverUsed'));
  const actions = (c: ApiClient) =>
    canManage && c.status === 'active' ? (
      <Group gap="xs" wrap="wrap">
        <Button size="xs" variant="default" onClick={() => onRotate(c)} aria-label={t('clients.rotate.openFor', { name: c.name })}>
          {t('clients.rotate.open')}
        </Button>
        <Button size="xs" color="red.9" variant="outline" onClick={() => confirmRevoke(c)} loading={revoke.isPending && revoke.variables?.id === c.id} aria-label={t('clients.revoke.openFor', { name: c.name })}>
          {t('clients.revoke.open')}
        </Button>
      </Group>
    ) : null;

  return (
    <Stack gap="xs">
      <ErrorAlert error={revoke.error} />
      <Table.ScrollContainer minWidth={narrow ? 300 : 960} type="native" tabIndex={0} role="region" aria-label={t('clients.table')}>
        <Table striped aria-label={t('clients.table')} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('clients.column.name')}</Table.Th>
              {narrow ? null : <Table.Th scope="col">{t('clients.column.scopes')}</Table.Th>}
              <Table.Th scope="col">{t('clients.column.status')}</Table.Th>
              {narrow ? null : <Table.Th scope="col">{t('clients.column.lastUsed')}</Table.Th>}
              {narrow ? null : <Table.Th scope="col">{t('clients.column.created')}</Table.Th>}
              {narrow || !canManage ? null : <Table.Th scope="col">{t('clients.column.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {clients.map((c) =>
              narrow ? (
                <Table.Tr key={c.id} style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    <Stack gap={6}>
                      {identity(c)}
                      {scopesOf(c)}
                      {secretsOf(c)}
                      <Text size="xs">{t('clients.createdOn', { date: f.dateTime(c.createdAt) })}</Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={6} align="flex-start">
                      <ClientStatusBadge status={c.status} />
                      <Text size="xs">{t('clients.lastUsedOn', { date: lastUsed(c) })}</Text>
                      {actions(c)}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={c.id} style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    {identity(c)}
                    {secretsOf(c)}
                  </Table.Td>
                  <Table.Td>{scopesOf(c)}</Table.Td>
                  <Table.Td>
                    <ClientStatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>{lastUsed(c)}</Table.Td>
                  <Table.Td>{f.dateTime(c.createdAt)}</Table.Td>
                  {canManage ? <Table.Td>{actions(c)}</Table.Td> : null}
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

const OVERLAPS = [0, 24, 168] as const;

/** A new secret; the previous one keeps working for the overlap chosen, so the machine can switch without a gap. */
function RotateModal({ client, onClose, onRotated }: { client: ApiClient | undefined; onClose: () => void; onRotated: (c: ApiClient, secret: string, previousUntil: string | null) => void }) {
  const { t } = useTranslation('integrations');
  const rotate = useRotateSecret();
  const [overlap, setOverlap] = useState<string>('24');
  const close = () => {
    rotate.reset();
    setOverlap('24');
    onClose();
  };
  return (
    <Modal opened={!!client} onClose={close} title={client ? t('clients.rotate.title', { name: client.name }) : ''} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {client ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const hours = Number(overlap);
            const current = client.secrets.map((s) => s.id);
            rotate.mutate(
              { client, overlapHours: hours },
              {
                onSuccess: (answer) => {
                  // The secrets that were there before and now end: when the previous one stops.
                  const previous = answer.secrets.filter((s) => current.includes(s.id) && s.expiresAt).map((s) => s.expiresAt!);
                  rotate.reset();
                  setOverlap('24');
                  onRotated(client, answer.clientSecret, hours > 0 ? (previous.sort().at(-1) ?? null) : null);
                },
              },
            );
          }}
        >
          <Stack gap="md">
            <Text size="sm">{t('clients.rotate.body')}</Text>
            <NativeSelect
              label={t('clients.rotate.overlap')}
              description={t('clients.rotate.overlapHint')}
              value={overlap}
              onChange={(e) => setOverlap(e.currentTarget.value)}
              data={OVERLAPS.map((h) => ({ value: String(h), label: t(`clients.rotate.overlapOption.h${h}`) }))}
            />
            <ErrorAlert error={rotate.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('actions.cancel', { ns: 'common' })}
              </Button>
              <Button type="submit" loading={rotate.isPending}>
                {t('clients.rotate.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}
