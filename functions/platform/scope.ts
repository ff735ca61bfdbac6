import type { Caller } from './caller.ts';
import { isStaff } from './caller.ts';
import { Forbidden, NotFound } from './errors.ts';

/**
 * The one place that decides what a caller may touch (docs/product.md#accounts-and-tenancy). A resource outside the caller's
 * account tree is answered as if it did not exist (404); inside it, a role that may not do the
 * action gets 403.
 */
export interface Scoped {
  accountId: string;
  accountPath: string[];
}

export type Permission =
  /** Anyone signed in, on what is in scope. */
  | 'read'
  /** Staff, and customer admins (orders, billing). */
  | 'view'
  /** Staff (admin or user) operating orders. */
  | 'operate'
  /** Staff admins; customer admins on their own account. */
  | 'manage'
  /** Staff admins only. */
  | 'staffAdmin'
  /** Distributor admins only. */
  | 'distributorAdmin';

export function inScope(caller: Caller, resource: Scoped): boolean {
  if (caller.accountType === 'customer') return resource.accountId === caller.accountId;
  return resource.accountPath.includes(caller.accountId);
}

export function allows(caller: Caller, permission: Permission): boolean {
  switch (permission) {
    case 'read':
      return true;
    case 'view':
      return isStaff(caller) || caller.role === 'admin';
    case 'operate':
      return isStaff(caller);
    case 'manage':
      return caller.role === 'admin';
    case 'staffAdmin':
      return isStaff(caller) && caller.role === 'admin';
    case 'distributorAdmin':
      return caller.accountType === 'distributor' && caller.role === 'admin';
  }
}

/** Scope first (404), then role (403): ids of other tenants cannot be probed. */
export function authorize<T extends Scoped>(caller: Caller, resource: T | undefined, permission: Permission): T {
  if (!resource || !inScope(caller, resource)) throw new NotFound();
  if (!allows(caller, permission)) throw new Forbidden();
  return resource;
}

export function requirePermission(caller: Caller, permission: Permission): void {
  if (!allows(caller, permission)) throw new Forbidden();
}
