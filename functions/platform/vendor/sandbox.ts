import { randomBytes, randomInt } from 'node:crypto';
import { db } from '#data/entities.ts';
import { clock } from '../clock.ts';
import { env } from '../env.ts';
import { VendorPermanentError, VendorTransientError, type Company, type Vendor, type VendorItem, type VendorRequestStatus } from './port.ts';

/**
 * The sandbox vendor of docs/product.md#sandboxes-and-their-magic-values, a simulator with documented behaviour, not a stub. Its
 * tenants and requests are persisted (in the application table, as the vendor's own records),
 * so tenants it creates exist afterwards.
 *
 * - `ext-*.onmicrosoft.com` tenants exist and belong to another provider.
 * - A domain prefix starting with `fail-` makes provisioning fail permanently.
 * - `slow-` needs 5 status checks; any other request completes on its 2nd check.
 * - A domain prefix starting with `noqual-` has any qualification refused; every other is approved
 *   (`qualificationVerdict`).
 * - With SANDBOX_VENDOR_TRANSIENT_FAILURE_RATE = r, each call fails transiently with probability r.
 */
const SUFFIX = '.onmicrosoft.com';
export const SANDBOX_CHECKS = { normal: 2, slow: 5 } as const;

function maybeFailTransiently(operation: string): void {
  const rate = env.sandboxVendorTransientFailureRate();
  if (rate > 0 && Math.random() < rate) {
    throw new VendorTransientError(`Sandbox vendor: ${operation} timed out (simulated transient failure); retry.`);
  }
}

/** The sandbox's qualification rule: deterministic, by the domain prefix (docs/product.md#sandboxes-and-their-magic-values). */
export function qualificationVerdict(prefix: string, qualification: string): { approved: boolean; reason?: string } {
  if (!prefix.toLowerCase().startsWith('noqual-')) return { approved: true };
  return { approved: false, reason: `The vendor could not verify the organisation's ${qualification} eligibility.` };
}

const PREFIX = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

export class SandboxVendor implements Vendor {
  async isDomainAvailable(prefix: string): Promise<boolean> {
    maybeFailTransiently('availability');
    const domain = `${prefix.toLowerCase()}${SUFFIX}`;
    if (prefix.toLowerCase().startsWith('ext-')) return false;
    const found = await db().entities.vendorTenant.get({ domain }).go();
    return !found.data;
  }

  async createTenant(input: { prefix: string; company: Company }) {
    maybeFailTransiently('createTenant');
    const prefix = input.prefix.toLowerCase();
    if (!PREFIX.test(prefix)) throw new VendorPermanentError(`Sandbox vendor: "${prefix}" is not a valid domain prefix.`);
    const domain = `${prefix}${SUFFIX}`;
    const tenants = db().entities.vendorTenant;
    const existing = await tenants.get({ domain }).go({ consistent: true });
    if (existing.data) {
      if (existing.data.partner !== 'self' || existing.data.company?.name !== input.company.name) {
        throw new VendorPermanentError(`Sandbox vendor: the domain ${domain} is already taken.`);
      }
    } else if (prefix.startsWith('ext-')) {
      throw new VendorPermanentError(`Sandbox vendor: the domain ${domain} is already taken.`);
    } else {
      await tenants
        .create({ domain, tenantId: crypto.randomUUID(), partner: 'self', company: input.company, createdAt: clock.nowIso() })
        .go()
        .catch(() => undefined);
    }
    const tenant = (await tenants.get({ domain }).go({ consistent: true })).data;
    if (!tenant) throw new VendorTransientError('Sandbox vendor: tenant not visible yet.');
    return {
      tenantId: tenant.tenantId,
      domain,
      adminLogin: `admin@${domain}`,
      adminPassword: `${randomBytes(9).toString('base64url')}!${randomInt(10, 99)}`,
    };
  }

  async verifyQualification(input: { prefix: string; company: Company; qualification: string }): Promise<{ approved: boolean; reason?: string }> {
    maybeFailTransiently('verifyQualification');
    return qualificationVerdict(input.prefix, input.qualification);
  }

  async getTenant(domain: string): Promise<{ tenantId: string; partner: 'self' | 'other' } | undefined> {
    maybeFailTransiently('getTenant');
    const name = domain.toLowerCase();
    if (!name.endsWith(SUFFIX)) return undefined;
    // ext-* tenants exist and belong to another provider (docs/product.md#sandboxes-and-their-magic-values).
    if (name.startsWith('ext-')) return { tenantId: `ext-${name.slice(4, -SUFFIX.length)}`, partner: 'other' };
    const found = await db().entities.vendorTenant.get({ domain: name }).go();
    return found.data ? { tenantId: found.data.tenantId, partner: found.data.partner === 'self' ? 'self' : 'other' } : undefined;
  }

  async submit(input: { reference: string; tenantId: string; domain: string; items: VendorItem[] }) {
    maybeFailTransiently('submit');
    const requests = db().entities.vendorRequest;
    const requestId = `req-${input.reference}`;
    const existing = await requests.get({ requestId }).go({ consistent: true });
    if (existing.data) return { requestId };
    const prefix = input.domain.toLowerCase();
    const failing = prefix.startsWith('fail-');
    await requests
      .create({
        requestId,
        tenantId: input.tenantId,
        domain: input.domain,
        items: input.items,
        checksLeft: prefix.startsWith('slow-') ? SANDBOX_CHECKS.slow : SANDBOX_CHECKS.normal,
        outcome: failing ? 'failed' : 'succeeded',
        reason: failing ? `The vendor refused the subscriptions for ${input.domain}: the tenant failed validation.` : undefined,
        createdAt: clock.nowIso(),
      })
      .go()
      .catch(() => undefined);
    return { requestId };
  }

  async status(requestId: string): Promise<VendorRequestStatus> {
    maybeFailTransiently('status');
    const requests = db().entities.vendorRequest;
    const found = await requests.get({ requestId }).go({ consistent: true });
    if (!found.data) throw new VendorPermanentError(`Sandbox vendor: unknown request ${requestId}.`);
    const updated = await requests
      .patch({ requestId })
      .add({ checks: 1 })
      .go({ response: 'all_new' });
    const request = updated.data;
    if ((request.checks ?? 0) < request.checksLeft) return { status: 'in_progress' };
    return request.outcome === 'failed' ? { status: 'failed', reason: request.reason ?? 'failed' } : { status: 'succeeded' };
  }
}
