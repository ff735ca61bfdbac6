import * as z from 'zod/mini';
import { DOMAIN_MODES, DOMAIN_STATUSES } from '#domain/catalog.ts';
import { SUBSCRIPTION_STATUSES } from '#domain/subscription-rules.ts';
import { QUALIFICATIONS } from '#domain/trials.ts';
import { AccountId, Company, CustomerAgreement, DomainId, DomainPrefix, id, pageOf, QualificationChoice } from '../schemas.ts';

/**
 * The contract of Microsoft domains (docs/product.md#microsoft-domains, docs/product.md#domains): the bodies the routes take and the answers
 * they give. Statuses and modes come from domain/catalog.ts.
 */
export const AvailabilityQuery = z.strictObject({ prefix: DomainPrefix });
export const AccountParams = z.strictObject({ accountId: AccountId });
export const DomainParams = z.strictObject({ domainId: DomainId });

export const DomainBody = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('create'), prefix: DomainPrefix, company: Company, customerAgreement: z.optional(CustomerAgreement), qualification: QualificationChoice }),
  z
    .strictObject({
      mode: z.literal('link'),
      domain: z
        .string()
        .check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\.onmicrosoft\.com$/, 'must be <name>.onmicrosoft.com')),
    }),
]);

export const AvailabilitySchema = z
  .object({
    prefix: z.string(),
    domain: z.string().check(z.describe('The domain the prefix names')),
    available: z.boolean().check(z.describe('Held by no domain here and free at Microsoft')),
  })
  .register(z.globalRegistry, { id: 'DomainAvailability', description: 'Whether a new onmicrosoft.com domain can be created', examples: [{ prefix: 'contoso-eu', domain: 'contoso-eu.onmicrosoft.com', available: true }] });

const exampleDomain = {
  id: 'dom_01JD7C4R8T2V6X0Z3B5D7F9H1K',
  accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
  domain: 'contoso-eu.onmicrosoft.com',
  mode: 'create' as const,
  status: 'active' as const,
  createdAt: '2026-11-04T13:20:11.052Z',
  invitationSentAt: null,
  qualifications: [],
  subscriptions: [{ id: 'sub_01JD7A2B3C4D5E6F7G8H9J0K1M', name: 'Microsoft 365 Business Basic', quantity: 12, assignedCount: 9, status: 'active' as const }],
  licenseCount: 12,
  assignedCount: 9,
  version: 2,
};

export const DomainSchema = z
  .object({
    id: DomainId,
    accountId: AccountId,
    domain: z.string().check(z.describe('<name>.onmicrosoft.com')),
    mode: z.enum(DOMAIN_MODES).check(z.describe('A tenant created here, or an existing one linked')),
    status: z.enum(DOMAIN_STATUSES).check(z.describe('pending_partner_acceptance: orders on it wait for the customer to accept the partner relationship')),
    createdAt: z.iso.datetime({ offset: true }),
    invitationSentAt: z.nullable(z.iso.datetime({ offset: true })).check(
      z.describe('When the partner invitation was last sent (a linked domain waiting for the acceptance); null when none was'),
    ),
    qualifications: z.array(z.enum(QUALIFICATIONS)).check(z.describe('What the vendor approved the tenant for when it was created here (docs/product.md#trials-and-qualifications)')),
    subscriptions: z.array(
      z.object({ id: id('subscription'), name: z.string(), quantity: z.number().check(z.int()), assignedCount: z.number().check(z.int()), status: z.enum(SUBSCRIPTION_STATUSES) }),
    ),
    licenseCount: z.number().check(z.int(), z.describe('Licenses of the subscriptions on it that are not cancelled or expired')),
    assignedCount: z.number().check(z.int()),
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
  })
  .register(z.globalRegistry, { id: 'Domain', description: 'A Microsoft domain (tenant) of a customer, with the subscriptions on it', examples: [exampleDomain] });

export const DomainPage = pageOf(DomainSchema).register(z.globalRegistry, { id: 'DomainPage', description: 'The domains of a customer', examples: [{ items: [exampleDomain], nextCursor: null }] });

const newDomain = { ...exampleDomain, subscriptions: [], licenseCount: 0, assignedCount: 0 };

export const DomainCreatedSchema = z
  .object({
    domain: DomainSchema,
    credentials: z.optional(z.object({ login: z.string(), password: z.string() })).check(z.describe('The new tenant admin: shown once, here, and kept nowhere (mode create only)')),
  })
  .register(z.globalRegistry, {
    id: 'DomainCreated',
    description: 'A domain created (with its tenant admin credentials) or linked',
    examples: [
      { domain: newDomain, credentials: { login: 'admin@contoso-eu.onmicrosoft.com', password: 'Vq7#mR2p!Lx9sT4w' } },
      { domain: { ...newDomain, domain: 'fabrikam.onmicrosoft.com', mode: 'link', status: 'pending_partner_acceptance', invitationSentAt: '2026-11-04T13:20:11.052Z', version: 1 } },
    ],
  });

export const InvitationSentSchema = z
  .object({
    domainId: DomainId,
    sentTo: z.number().check(z.int(), z.describe('How many of the customer account\'s admins the invitation was sent to (0: it has no admin who can receive it, and nothing was sent)')),
  })
  .register(z.globalRegistry, { id: 'InvitationSent', description: 'The partner invitation of a linked domain, sent again', examples: [{ domainId: 'dom_01JD7C4R8T2V6X0Z3B5D7F9H1K', sentTo: 2 }] });
