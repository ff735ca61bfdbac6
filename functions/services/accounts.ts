import * as accountRepo from '#data/accounts.ts';
import * as auditRepo from '#data/audit.ts';
import * as catalogRepo from '#data/catalog.ts';
import type { Account, AccountChanges, AccountFilters, AccountSettings } from '#data/accounts.ts';
import type { Page } from '#data/tx.ts';
import type { User } from '#data/users.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused, Conflict, Forbidden } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { hashPassword } from '#platform/passwords.ts';
import { authorize, requirePermission, type Permission } from '#platform/scope.ts';
import {
  accountEditRefusal,
  accountStatusRefusal,
  DEFAULT_SETTINGS,
  mayCreateAccountOfType,
  nearestSupport,
  type AccountStatus,
  type AccountType,
  type Locale,
  type SupportContact,
  type BillingContact,
} from '#domain/accounts.ts';
import { normalizedProductList, settingsTheAccountMayNotSet } from '#domain/self-service.ts';
import { newUserWithSecret, refuseSecretMismatch } from './users.ts';

/**
 * Accounts of the channel (docs/product.md#accounts-and-tenancy, docs/product.md#accounts-and-users): staff admins create resellers (the distributor only)
 * and customers below their own account, each with its first admin; the account above sets an
 * account's settings; everyone reads what is in scope.
 */
export interface AccountDeps {
  accounts: Pick<typeof accountRepo, 'getAccount' | 'getAccounts' | 'accountScope' | 'createAccountWithAdmin' | 'updateAccount' | 'listAccountsInScope'>;
  audit: Pick<typeof auditRepo, 'listAuditEvents'>;
  hashPassword: (password: string) => Promise<string>;
  /** Checks the products of a self-service list exist (docs/product.md#self-service-subscriptions). */
  catalog?: Pick<typeof catalogRepo, 'getProduct'>;
}

type Address = NonNullable<Account['address']>;

export interface NewAccountInput {
  type: 'reseller' | 'customer';
  name: string;
  address: Address;
  settings?: Partial<AccountSettings>;
  admin: { firstName: string; lastName: string; login: string; password?: string; locale?: Locale };
  sendActivationEmail: boolean;
}

export type AuditFilters = auditRepo.AuditFilters;

export interface AccountEdit {
  name?: string;
  address?: Address;
  settings?: Partial<AccountSettings>;
  /** The account's own support contact; null removes it (its users then see the nearest one above). */
  support?: SupportContact | null;
  /** Where the account's invoice and payment emails go; null removes it (they go to its admins). */
  billingContact?: BillingContact | null;
}

export function makeAccountService(deps: AccountDeps) {
  const { accounts } = deps;

  async function load(caller: Caller, accountId: string, permission: Permission): Promise<Account> {
    return authorize(caller, accounts.accountScope(await accounts.getAccount(accountId)), permission);
  }

  /** A customer's self-service list (docs/product.md#self-service-subscriptions): each product once, every one in the catalog (422 otherwise). */
  async function checkedProductList(type: AccountType, ids: readonly string[]): Promise<string[]> {
    if (type !== 'customer') throw new BusinessRuleRefused('not_a_customer', 'Only customer accounts keep a self-service product list.', [{ path: 'settings.selfServiceProducts' }]);
    const list = normalizedProductList(ids);
    if (!deps.catalog) throw new Error('This account service has no catalog to check products against');
    const found = await Promise.all(list.map((id) => deps.catalog!.getProduct(id)));
    const missing = list.flatMap((id, i) => (found[i] ? [] : [{ path: `settings.selfServiceProducts.${ids.indexOf(id)}`, productId: id }]));
    if (missing.length) throw new BusinessRuleRefused('unknown_product', 'Some products of the self-service list are not in the catalog.', missing);
    return list;
  }

  return {
    /** Creates an account below the caller's with its first admin, invited or with a password, in one transaction. */
    async create(caller: Caller, input: NewAccountInput): Promise<{ account: Account; admin: User }> {
      requirePermission(caller, 'staffAdmin');
      if (!mayCreateAccountOfType(caller.accountType, input.type)) {
        throw new BusinessRuleRefused('reseller_under_distributor_only', 'Only the distributor creates resellers.');
      }
      const { admin, sendActivationEmail } = input;
      refuseSecretMismatch(sendActivationEmail, admin, 'admin.password');
      const parent = await accounts.getAccount(caller.accountId);
      if (!parent) throw new Error(`Caller account ${caller.accountId} is missing`);
      const settings: AccountSettings = { ...DEFAULT_SETTINGS, ...input.settings };
      if (settings.selfServiceProducts) settings.selfServiceProducts = await checkedProductList(input.type, settings.selfServiceProducts);
      const person = { id: newId('user'), firstName: admin.firstName, lastName: admin.lastName, login: admin.login, role: 'admin' as const, locale: admin.locale ?? settings.locale };
      const first = await newUserWithSecret(person, sendActivationEmail ? undefined : admin.password, deps.hashPassword);
      return accounts.createAccountWithAdmin(parent, { type: input.type satisfies AccountType, name: input.name, address: input.address, settings }, first.user, first.outbox);
    },

    /**
     * The accounts below the caller's, newest first, filtered by type, status and a part of the
     * name; `parentId` narrows the list to the accounts directly below that one, which must be in
     * the caller's scope (404 otherwise, as for any account the caller cannot see).
     */
    async list(caller: Caller, opts: AccountFilters): Promise<Page<Account>> {
      if (opts.parentId) await load(caller, opts.parentId, 'read');
      return accounts.listAccountsInScope(caller, opts);
    },

    read: (caller: Caller, accountId: string): Promise<Account> => load(caller, accountId, 'read'),

    /**
     * Name, address and support contact: the account's own admins and staff admins above it. Settings are the
     * parent's to set (docs/product.md#accounts-and-tenancy): staff admins of an account above, never the account itself,
     * but for a customer's self-service product list, which its own admins keep too.
     * `ifMatch` (If-Match) refuses with 412 once the account has moved on.
     */
    async edit(caller: Caller, accountId: string, body: AccountEdit, ifMatch?: number): Promise<Account> {
      const account = await load(caller, accountId, 'manage');
      // The self-service list is the one setting the account's own admins keep (domain/self-service.ts).
      const refusal = accountEditRefusal(caller, account, body.settings !== undefined && settingsTheAccountMayNotSet(body.settings).length > 0);
      if (refusal === 'settings_by_parent') throw new Forbidden("An account's settings are set by the account above it.");
      if (refusal === 'admins_only') throw new Forbidden();
      const selfServiceProducts = body.settings?.selfServiceProducts && (await checkedProductList(account.type, body.settings.selfServiceProducts));
      return accounts.updateAccount(
        account.id,
        (current): AccountChanges => ({
          ...(body.name ? { name: body.name } : {}),
          ...(body.address ? { address: body.address } : {}),
          ...(body.settings ? { settings: { ...current.settings, ...body.settings, ...(selfServiceProducts ? { selfServiceProducts } : {}) } } : {}),
          ...(body.support !== undefined ? { support: body.support } : {}),
          ...(body.billingContact !== undefined ? { billingContact: body.billingContact } : {}),
        }),
        { ifMatch },
      );
    },

    /**
     * The support contact the caller's users see (docs/product.md#accounts-and-tenancy): the caller's
     * account's own, else the nearest one above it, else none. The path is the caller's account's
     * ancestors and itself (a few levels at most), read in one BatchGetItem.
     */
    async supportFor(caller: Pick<Caller, 'accountId' | 'accountPath'>): Promise<SupportContact | undefined> {
      const path = caller.accountPath.length ? caller.accountPath : [caller.accountId];
      return nearestSupport(await accounts.getAccounts(path));
    },

    /**
     * Suspends (`suspended`) or reactivates (`active`) an account (docs/product.md#accounts-and-tenancy):
     * staff admins of an account above it, never the account itself (403, as for its settings).
     * Suspending a suspended account or reactivating an active one is 409 `invalid_state`, decided
     * on the account as it is when written (under optimistic locking), so of two requests one wins.
     * What a suspension does is read where it matters: sign-in and refresh
     * (services/sessions.ts), the authorizer, and order placement.
     */
    async setStatus(caller: Caller, accountId: string, to: AccountStatus, ifMatch?: number): Promise<Account> {
      const account = await load(caller, accountId, 'staffAdmin');
      if (accountStatusRefusal(caller, account, to) === 'own_account') throw new Forbidden('An account is suspended or reactivated by an account above it.');
      return accounts.updateAccount(
        account.id,
        (current): AccountChanges => {
          if (accountStatusRefusal(caller, current, to) === 'already') throw new Conflict('invalid_state', `The account is already ${current.status}.`, [{ status: current.status }]);
          return { status: to };
        },
        { ifMatch },
      );
    },

    /**
     * The audit trail of an account (docs/product.md#audit-trail): admins in scope, newest first,
     * optionally only one action (the route or step as stored) or one person's (as the actor, or
     * as the user acted as under "log in as").
     */
    async auditEvents(caller: Caller, accountId: string, filters: AuditFilters) {
      const account = await load(caller, accountId, 'manage');
      return deps.audit.listAuditEvents(account.id, filters);
    },
  };
}

export type AccountService = ReturnType<typeof makeAccountService>;

export const accountService = makeAccountService({ accounts: accountRepo, audit: auditRepo, hashPassword: (p) => hashPassword(p), catalog: catalogRepo });
