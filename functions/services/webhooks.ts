import { accountScope, getAccount } from '#data/accounts.ts';
import * as repo from '#data/webhooks.ts';
import type { Webhook, WebhookDelivery } from '#data/webhooks.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { env } from '#platform/env.ts';
import { Conflict, NotFound, ValidationFailed } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { authorize } from '#platform/scope.ts';
import { resolveHost } from '#platform/webhook-sender.ts';
import { addressAllowed, newWebhookSecret, urlRefusal, type UrlPolicy } from '#domain/webhooks.ts';
import { deliveryService, keyOf } from './webhook-delivery.ts';

/**
 * Webhook endpoints of an account (docs/api.md#webhooks): registered, edited, re-enabled and
 * deleted by its admins (and staff admins above it); the delivery log and manual redelivery.
 * A URL must be https and resolve only to public addresses in AWS (SSRF); the local stack allows
 * http and private addresses by configuration (platform/env.ts).
 */
export interface CreateInput {
  url: string;
  eventTypes: string[];
  description?: string | undefined;
}

export interface EditInput {
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  status?: 'active' | 'disabled';
}

export interface WebhookDeps {
  webhooks: Pick<typeof repo, 'getWebhook' | 'createWebhook' | 'updateWebhook' | 'deleteWebhook' | 'findDelivery' | 'restartDelivery' | 'getDelivery'>;
  accounts: { getAccount: typeof getAccount };
  resolve: (hostname: string) => Promise<string[]>;
  policy: () => UrlPolicy;
  redeliver: (key: repo.DeliveryKey) => Promise<unknown>;
  clock: { nowIso(): string };
}

const URL_MESSAGES = {
  invalid_url: 'The URL is not a valid http(s) URL.',
  https_required: 'Webhook URLs must use https.',
  credentials_in_url: 'A webhook URL may not carry a user name or password.',
  private_address: 'The URL resolves to a private, loopback or link-local address, which webhooks may not reach.',
  unresolvable_host: 'The URL\'s host name does not resolve.',
} as const;

/**
 * Checks a URL for registration: its form under the policy, then (unless private networks are
 * allowed) every address its host resolves to. A 400 naming `url` with the reason's code.
 */
export async function checkUrl(url: string, policy: UrlPolicy, resolve: (hostname: string) => Promise<string[]>): Promise<void> {
  let code: keyof typeof URL_MESSAGES | undefined = urlRefusal(url, policy);
  if (!code && !policy.allowPrivateNetworks) {
    const addresses = await resolve(new URL(url).hostname);
    if (addresses.length === 0) code = 'unresolvable_host';
    else if (addresses.some((a) => !addressAllowed(a, policy))) code = 'private_address';
  }
  if (code) throw new ValidationFailed(URL_MESSAGES[code], [{ in: 'body', path: 'url', code }]);
}

export function makeWebhookService(deps: WebhookDeps) {
  const { webhooks, accounts } = deps;

  /** The endpoint a caller may manage (404 outside its scope, 403 for a role that may not). */
  async function manageable(caller: Caller, id: string): Promise<Webhook> {
    return authorize(caller, await webhooks.getWebhook(id), 'manage');
  }

  /** Registers an endpoint; the answer is the only time its secret is shown. */
  async function create(caller: Caller, accountId: string, body: CreateInput): Promise<Webhook> {
    const account = authorize(caller, accountScope(await accounts.getAccount(accountId)), 'manage');
    await checkUrl(body.url, deps.policy(), deps.resolve);
    const now = deps.clock.nowIso();
    const item: Webhook = {
      id: newId('webhook'),
      accountId: account.accountId,
      rootId: account.rootId,
      accountPath: account.accountPath,
      url: body.url,
      eventTypes: [...new Set(body.eventTypes)],
      ...(body.description ? { description: body.description } : {}),
      status: 'active',
      secret: newWebhookSecret(),
      createdAt: now,
      createdBy: caller.userId,
      updatedAt: now,
      version: 1,
    };
    return webhooks.createWebhook(item);
  }

  async function get(caller: Caller, id: string): Promise<Webhook> {
    return manageable(caller, id);
  }

  /** Edits an endpoint; `status: 'active'` re-enables a disabled one (its later events are delivered again). */
  async function edit(caller: Caller, id: string, body: EditInput, ifMatch?: number): Promise<Webhook> {
    await manageable(caller, id);
    if (body.url !== undefined) await checkUrl(body.url, deps.policy(), deps.resolve);
    return webhooks.updateWebhook(
      id,
      (current) => {
        const plan: repo.WebhookChanges = {};
        if (body.url !== undefined && body.url !== current.url) plan.url = body.url;
        if (body.eventTypes !== undefined) plan.eventTypes = [...new Set(body.eventTypes)];
        if (body.description === null) plan.removeDescription = current.description !== undefined;
        else if (body.description !== undefined) plan.description = body.description;
        if (body.status !== undefined && body.status !== current.status) plan.status = body.status;
        const { removeDescription, ...set } = plan;
        return Object.keys(set).length || removeDescription ? plan : undefined;
      },
      { ifMatch },
    );
  }

  async function remove(caller: Caller, id: string): Promise<Webhook> {
    const webhook = await manageable(caller, id);
    await webhooks.deleteWebhook(webhook);
    return webhook;
  }

  /**
   * Sends one delivered or failed delivery again now (with a fresh retry window if it fails);
   * a delivery still pending is on its way already (409), and a disabled endpoint is enabled first (409).
   */
  async function redeliver(caller: Caller, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const webhook = await manageable(caller, webhookId);
    const delivery = await webhooks.findDelivery(webhookId, deliveryId);
    if (!delivery) throw new NotFound();
    if (webhook.status !== 'active') throw new Conflict('invalid_state', 'This endpoint is disabled; enable it first.');
    if (!(await webhooks.restartDelivery(keyOf(delivery)))) throw new Conflict('invalid_state', 'This delivery is pending: it is being sent already.');
    await deps.redeliver(keyOf(delivery));
    return (await webhooks.getDelivery(keyOf(delivery))) ?? delivery;
  }

  return { create, get, edit, remove, redeliver, manageable };
}

export const urlPolicy = (): UrlPolicy => ({ allowHttp: env.webhooksAllowHttp(), allowPrivateNetworks: env.webhooksAllowPrivateNetworks() });

export const webhookService = makeWebhookService({
  webhooks: repo,
  accounts: { getAccount },
  resolve: resolveHost,
  policy: urlPolicy,
  // One attempt within the request (5 s at most); a later event it was holding is made due now, for the retry job's next run.
  redeliver: (key) => deliveryService.attempt(key),
  clock,
});
