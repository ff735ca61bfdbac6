import * as accountRepo from '#data/accounts.ts';
import * as auditRepo from '#data/audit.ts';
import type { Account, AccountChanges, AccountSettings } from '#data/accounts.ts';
import type { Page } from '#data/tx.ts';
import type { User } from '#data/users.ts';
import type { Caller } from '#platform/caller.ts';
import { BusinessRuleRefused, Forbidden } from '#platform/errors.ts';
import { newId } from '#platform/ids.ts';
import { hashPassword } from '#platform/passwords.ts';
import { authorize, requirePermission, type Permission } from '#platform/scope.ts';
import { accountEditRefusal, DEFAULT_SETTINGS, mayCreateAccountOfType, nearestSupport, type AccountType, type Locale, type SupportContact } from '#domain/accounts.ts';
import { newUserWithSecret, refuseSecretMismatch } from './users.ts';

/**
 * Accounts of the channel (docs/product.md#accounts-and-tenancy, docs/product.md#accounts-and-users): staff admins create resellers (the distributor only)
 * and customers below their own account, each with its first admin; the account above sets an
 * account's settings; everyone reads what is in scope.
 */
export interface AccountDeps {
  accounts: Pick<typeof accountRepo, 'getAccount' | 'accountScope' | 'createAccountWithAdmin' | 'updateAccount' | 'listAccountsInScope'>;
  audit: Pick<typeof auditRepo, 'listAuditEvents'>;
  hashPassword: (password: string) => Promise<string>;
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

export interface AccountEdit {
  name?: string;
  address?: Address;
  settings?: Partial<AccountSettings>;
  /** The account's own support contact; null removes it (its users then see the nearest one above). */
  support?: SupportContact | null;
}

export function makeAccountService(deps: AccountDeps) {
  const { accounts } = deps;

  async function load(caller: Caller, accountId: string, permission: Permission): Promise<Account> {
    return authorize(caller, accounts.accountScope(await accounts.getAccount(accountId)), permission);
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
      const person = { id: newId('user'), firstName: admin.firstName, lastName: admin.lastName, login: admin.login, role: 'admin' as const, locale: admin.locale ?? settings.locale };
      const first = await newUserWithSecret(person, sendActivationEmail ? undefined : admin.password, deps.hashPassword);
      return accounts.createAccountWithAdmin(parent, { type: input.type satisfies AccountType, name: input.name, address: input.address, settings }, first.user, first.outbox);
    },

    list: (caller: Caller, opts: { type?: AccountType; limit: number; cursor?: string }): Promise<Page<Account>> => accounts.listAccountsInScope(caller, opts),

    read: (caller: Caller, accountId: string): Promise<Account> => load(caller, accountId, 'read'),

    /**
     * Name, address and support contact: the account's own admins and staff admins above it. Settings are the
     * parent's to set (docs/product.md#accounts-and-tenancy): staff admins of an account above, never the account itself.
     * `ifMatch` (If-Match) refuses with 412 once the account has moved on.
     */
    async edit(caller: Caller, accountId: string, body: AccountEdit, ifMatch?: number): Promise<Account> {
      const account = await load(caller, accountId, 'manage');
      const refusal = accountEditRefusal(caller, account, body.settings !== undefined);
      if (refusal === 'settings_by_parent') throw new Forbidden("An account's settings are set by the account above it.");
      if (refusal === 'admins_only') throw new Forbidden();
      return accounts.updateAccount(
        account.id,
        (current): AccountChanges => ({
          ...(body.name ? { name: body.name } : {}),
          ...(body.address ? { address: body.address } : {}),
          ...(body.settings ? { settings: { ...current.settings, ...body.settings } } : {}),
          ...(body.support !== undefined ? { support: body.support } : {}),
        }),
        { ifMatch },
      );
    },

    /**
     * The support contact the caller's users see (docs/product.md#accounts-and-tenancy): the caller's
     * account's own, else the nearest one above it, else none. The path is the caller's account's
     * ancestors and itself (a few levels at most), read at once.
     */
    async supportFor(caller: Pick<Caller, 'accountId' | 'accountPath'>): Promise<SupportContact | undefined> {
      const path = caller.accountPath.length ? caller.accountPath : [caller.accountId];
      return nearestSupport(await Promise.all(path.map((id) => accounts.getAccount(id))));
    },

    /** The audit trail of an account (docs/product.md#audit-trail): admins in scope, newest first. */
    async auditEvents(caller: Caller, accountId: string, range: { from?: string; to?: string; limit: number; cursor?: string }) {
      const account = await load(caller, accountId, 'manage');
      return deps.audit.listAuditEvents(account.id, range);
    },
  };
}

export type AccountService = ReturnType<typeof makeAccountService>;

export const accountService = makeAccountService({ accounts: accountRepo, audit: auditRepo, hashPassword: (p) => hashPassword(p) });
