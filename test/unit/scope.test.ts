import type { AccountType, Caller, Role } from '#platform/caller.ts';
import { AppError, Forbidden, NotFound } from '#platform/errors.ts';
import { allows, authorize, inScope, requirePermission, type Permission, type Scoped } from '#platform/scope.ts';

/**
 * The tree (docs/product.md#accounts-and-tenancy):
 *
 *   DIST ─┬─ RES1 ─┬─ CUST1
 *         │        └─ CUST2
 *         ├─ RES2 ─── CUST4
 *         └─ CUST3                 OTHER_DIST ─── OTHER_CUST (another tenant altogether)
 */
const DIST = 'acc_DIST';
const RES1 = 'acc_RES1';
const RES2 = 'acc_RES2';
const CUST1 = 'acc_CUST1';
const CUST2 = 'acc_CUST2';
const CUST3 = 'acc_CUST3';
const CUST4 = 'acc_CUST4';
const OTHER_DIST = 'acc_OTHER_DIST';
const OTHER_CUST = 'acc_OTHER_CUST';

const PATHS: Record<string, string[]> = {
  [DIST]: [DIST],
  [RES1]: [DIST, RES1],
  [RES2]: [DIST, RES2],
  [CUST1]: [DIST, RES1, CUST1],
  [CUST2]: [DIST, RES1, CUST2],
  [CUST3]: [DIST, CUST3],
  [CUST4]: [DIST, RES2, CUST4],
  [OTHER_DIST]: [OTHER_DIST],
  [OTHER_CUST]: [OTHER_DIST, OTHER_CUST],
};

/** A thing (order, subscription, user...) that belongs to an account. */
const thingOf = (accountId: string): Scoped & { id: string } => ({ id: `thing of ${accountId}`, accountId, accountPath: PATHS[accountId]! });

function caller(accountType: AccountType, role: Role, accountId: string): Caller {
  const accountPath = PATHS[accountId]!;
  return { userId: `usr_${accountType}_${role}`, accountId, accountType, role, accountPath, rootId: accountPath[0]! };
}

const CALLERS = {
  'distributor admin': caller('distributor', 'admin', DIST),
  'distributor user': caller('distributor', 'user', DIST),
  'reseller admin': caller('reseller', 'admin', RES1),
  'reseller user': caller('reseller', 'user', RES1),
  'customer admin': caller('customer', 'admin', CUST1),
  'customer user': caller('customer', 'user', CUST1),
} as const;
type CallerName = keyof typeof CALLERS;

const PERMISSIONS: Permission[] = ['read', 'view', 'operate', 'manage', 'staffAdmin', 'distributorAdmin'];

/** What each role may do on something in scope (docs/product.md#portal-users Roles), written out rather than derived. */
const MAY: Record<CallerName, Record<Permission, boolean>> = {
  'distributor admin': { read: true, view: true, operate: true, manage: true, staffAdmin: true, distributorAdmin: true },
  'distributor user': { read: true, view: true, operate: true, manage: false, staffAdmin: false, distributorAdmin: false },
  'reseller admin': { read: true, view: true, operate: true, manage: true, staffAdmin: true, distributorAdmin: false },
  'reseller user': { read: true, view: true, operate: true, manage: false, staffAdmin: false, distributorAdmin: false },
  'customer admin': { read: true, view: true, operate: false, manage: true, staffAdmin: false, distributorAdmin: false },
  'customer user': { read: true, view: false, operate: false, manage: false, staffAdmin: false, distributorAdmin: false },
};

/** Whose things each caller reaches: own account and descendants for staff, own account only for customers. */
const RESOURCES: Record<CallerName, Array<[relation: string, accountId: string, inScope: boolean]>> = {
  'distributor admin': [
    ['own account', DIST, true],
    ['a child reseller', RES1, true],
    ['a grandchild customer', CUST1, true],
    ['a direct customer', CUST3, true],
    ['another tenant’s root', OTHER_DIST, false],
    ['another tenant’s customer', OTHER_CUST, false],
  ],
  'distributor user': [
    ['own account', DIST, true],
    ['a grandchild customer', CUST4, true],
    ['another tenant’s customer', OTHER_CUST, false],
  ],
  'reseller admin': [
    ['own account', RES1, true],
    ['a descendant customer', CUST1, true],
    ['a sibling reseller', RES2, false],
    ['a sibling reseller’s customer', CUST4, false],
    ['a customer directly under the distributor', CUST3, false],
    ['the ancestor distributor', DIST, false],
    ['another tenant’s customer', OTHER_CUST, false],
  ],
  'reseller user': [
    ['own account', RES1, true],
    ['a descendant customer', CUST2, true],
    ['a sibling reseller', RES2, false],
    ['the ancestor distributor', DIST, false],
  ],
  'customer admin': [
    ['own account', CUST1, true],
    ['a sibling customer', CUST2, false],
    ['the parent reseller', RES1, false],
    ['the ancestor distributor', DIST, false],
    ['another tenant’s customer', OTHER_CUST, false],
  ],
  'customer user': [
    ['own account', CUST1, true],
    ['a sibling customer', CUST2, false],
    ['the parent reseller', RES1, false],
    ['the ancestor distributor', DIST, false],
  ],
};

type Outcome = 'allowed' | 404 | 403;
const cases: Array<[CallerName, string, Permission, Outcome, string]> = (Object.keys(CALLERS) as CallerName[]).flatMap((who) =>
  RESOURCES[who].flatMap(([relation, accountId, reachable]) =>
    PERMISSIONS.map((permission): [CallerName, string, Permission, Outcome, string] => [
      who,
      relation,
      permission,
      !reachable ? 404 : MAY[who][permission] ? 'allowed' : 403,
      accountId,
    ]),
  ),
);

function outcomeOf(run: () => unknown): Outcome {
  try {
    run();
    return 'allowed';
  } catch (err) {
    if (err instanceof AppError) return err.status as Outcome;
    throw err;
  }
}

describe('authorize: scope first (404), then role (403)', () => {
  it.each(cases)('%s on %s’s thing, %s → %s', (who, _relation, permission, expected, accountId) => {
    const resource = thingOf(accountId);
    expect(outcomeOf(() => authorize(CALLERS[who], resource, permission))).toBe(expected);
  });

  it('returns the very resource it was given when allowed', () => {
    const resource = thingOf(CUST1);
    expect(authorize(CALLERS['reseller admin'], resource, 'manage')).toBe(resource);
  });

  it.each(Object.keys(CALLERS) as CallerName[])('answers a missing resource with 404 for the %s', (who) => {
    expect(() => authorize(CALLERS[who], undefined, 'read')).toThrow(NotFound);
  });

  it('answers out of scope exactly like missing, so other tenants’ ids cannot be probed', () => {
    const errorOf = (run: () => unknown) => {
      try {
        run();
      } catch (err) {
        return err as AppError;
      }
      throw new Error('expected a refusal');
    };
    const missing = errorOf(() => authorize(CALLERS['customer admin'], undefined, 'manage'));
    const foreign = errorOf(() => authorize(CALLERS['customer admin'], thingOf(CUST2), 'manage'));
    expect(foreign).toBeInstanceOf(NotFound);
    expect({ status: foreign.status, code: foreign.code, message: foreign.message }).toEqual({
      status: missing.status,
      code: missing.code,
      message: missing.message,
    });
    expect(foreign).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('refuses a role inside scope with 403 forbidden', () => {
    expect(() => authorize(CALLERS['customer user'], thingOf(CUST1), 'view')).toThrow(Forbidden);
    expect(outcomeOf(() => authorize(CALLERS['customer user'], thingOf(CUST1), 'view'))).toBe(403);
  });

  it('answers 404, not 403, when the resource is out of scope even for a role that could never act', () => {
    expect(outcomeOf(() => authorize(CALLERS['customer user'], thingOf(CUST2), 'distributorAdmin'))).toBe(404);
  });
});

describe('inScope', () => {
  it('gives a customer its own account only, even a (hypothetical) account beneath it', () => {
    const customer = CALLERS['customer admin'];
    expect(inScope(customer, { accountId: CUST1, accountPath: [DIST, RES1, CUST1] })).toBe(true);
    expect(inScope(customer, { accountId: 'acc_BELOW', accountPath: [DIST, RES1, CUST1, 'acc_BELOW'] })).toBe(false);
  });

  it.each([
    ['distributor admin', CUST4, true],
    ['reseller user', CUST2, true],
    ['reseller user', RES2, false],
    ['customer user', CUST1, true],
    ['customer user', CUST2, false],
  ] as Array<[CallerName, string, boolean]>)('%s reaches %s: %s', (who, accountId, expected) => {
    expect(inScope(CALLERS[who], thingOf(accountId))).toBe(expected);
  });
});

describe('allows and requirePermission', () => {
  const roleCases = (Object.keys(CALLERS) as CallerName[]).flatMap((who) =>
    PERMISSIONS.map((permission) => [who, permission, MAY[who][permission]] as const),
  );

  it.each(roleCases)('%s may %s: %s', (who, permission, expected) => {
    expect(allows(CALLERS[who], permission)).toBe(expected);
    if (expected) expect(() => requirePermission(CALLERS[who], permission)).not.toThrow();
    else expect(() => requirePermission(CALLERS[who], permission)).toThrow(Forbidden);
  });
});
