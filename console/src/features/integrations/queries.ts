import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type ApiClient = components['schemas']['ApiClient'];
export type NewApiClient = components['schemas']['ApiClientWithSecret'];
export type Scope = ApiClient['scopes'][number];
export type CreateApiClientBody = operations['createApiClient']['requestBody']['content']['application/json'];

export type Webhook = components['schemas']['Webhook'];
export type NewWebhook = components['schemas']['CreatedWebhook'];
export type CreateWebhookBody = operations['createWebhook']['requestBody']['content']['application/json'];
export type EventType = CreateWebhookBody['eventTypes'][number];
export type Delivery = components['schemas']['WebhookDelivery'];

/** A secret the API answers once (a new client's, a rotated one, a new endpoint's signing secret). */
export interface ShownSecret {
  /** What it belongs to, for the dialog's title. */
  name: string;
  clientId?: string;
  secret: string;
  /** A rotation: until when the previous secret keeps working (null: it stopped at once). */
  previousUntil?: string | null;
}

const clientsKey = (accountId: string) => ['accounts', accountId, 'api-clients'] as const;
const webhooksKey = (accountId: string) => ['accounts', accountId, 'webhooks'] as const;

/** The account's API clients (revoked ones too, so their last use stays visible). */
export function useApiClients(accountId: string | undefined) {
  return useQuery({
    queryKey: clientsKey(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/api-clients', { params: { path: { accountId: accountId! } } })),
  });
}

/** A new client: the answer carries its secret, this once. */
export function useCreateApiClient(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiClientBody) => unwrap(api.POST('/v1/accounts/{accountId}/api-clients', { params: { path: { accountId } }, body })),
    onSettled: () => void qc.invalidateQueries({ queryKey: clientsKey(accountId) }),
  });
}

/** A new secret for a client; the previous one keeps working for `overlapHours` (0: stops at once). */
export function useRotateSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ client, overlapHours }: { client: ApiClient; overlapHours: number }) =>
      unwrap(api.POST('/v1/api-clients/{clientId}/secrets', { params: { path: { clientId: client.id } }, body: { overlapHours } })),
    onSettled: (_d, _e, { client }) => void qc.invalidateQueries({ queryKey: clientsKey(client.accountId) }),
  });
}

/** Revokes a client: its tokens stop working within a minute, its secrets at once. */
export function useRevokeApiClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (client: ApiClient) => unwrap(api.POST('/v1/api-clients/{clientId}/revoke', { params: { path: { clientId: client.id } } })),
    onSettled: (_d, _e, client) => void qc.invalidateQueries({ queryKey: clientsKey(client.accountId) }),
  });
}

/** The account's webhook endpoints. */
export function useWebhooks(accountId: string | undefined) {
  return useQuery({
    queryKey: webhooksKey(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/webhooks', { params: { path: { accountId: accountId! } } })),
  });
}

export function useWebhook(webhookId: string) {
  return useQuery({
    queryKey: ['webhooks', webhookId] as const,
    queryFn: () => unwrap(api.GET('/v1/webhooks/{webhookId}', { params: { path: { webhookId } } })),
  });
}

/** A new endpoint: the answer carries its signing secret, this once. */
export function useCreateWebhook(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookBody) => unwrap(api.POST('/v1/accounts/{accountId}/webhooks', { params: { path: { accountId } }, body })),
    onSettled: () => void qc.invalidateQueries({ queryKey: webhooksKey(accountId) }),
  });
}

/** A disabled endpoint enabled again: deliveries start over from the events it missed. */
export function useEnableWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (webhook: Webhook) => unwrap(api.PATCH('/v1/webhooks/{webhookId}', { params: { path: { webhookId: webhook.id } }, body: { status: 'active' } })),
    onSuccess: (data) => qc.setQueryData(['webhooks', data.id], data),
    onSettled: (_d, _e, webhook) => {
      void qc.invalidateQueries({ queryKey: ['webhooks', webhook.id] });
      void qc.invalidateQueries({ queryKey: webhooksKey(webhook.accountId) });
    },
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (webhook: Webhook) => unwrap(api.DELETE('/v1/webhooks/{webhookId}', { params: { path: { webhookId: webhook.id } } })),
    onSuccess: (_d, webhook) => qc.removeQueries({ queryKey: ['webhooks', webhook.id] }),
    onSettled: (_d, _e, webhook) => void qc.invalidateQueries({ queryKey: webhooksKey(webhook.accountId) }),
  });
}

/** An endpoint's deliveries, newest first, a page at a time; asked again every 5 s while the page is open. */
export function useDeliveries(webhookId: string) {
  return useInfiniteQuery({
    queryKey: ['webhooks', webhookId, 'deliveries'] as const,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/webhooks/{webhookId}/deliveries', { params: { path: { webhookId }, query: { limit: 25, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5_000,
  });
}

/** Sends a delivery's event to the endpoint again (a new attempt, logged like the others). */
export function useRedeliver(webhookId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (delivery: Delivery) =>
      unwrap(api.POST('/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', { params: { path: { webhookId, deliveryId: delivery.id } } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['webhooks', webhookId, 'deliveries'] }),
  });
}
