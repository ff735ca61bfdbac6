import { addDays, isoDate, termEnd, type Term } from '#domain/terms.ts';
import { renewalDays } from '#domain/subscription-rules.ts';
import { ORDER_STATUSES, canMove, isFinal, statusesBefore, type OrderStatus } from '#domain/order-status.ts';
import { money, sum, times } from '#domain/money.ts';
import { accountStatusRefusal, isSuspended, runsAutomatically, searchNameOf, suspendableOf } from '#domain/accounts.ts';
import { invitationResendWait } from '#domain/catalog.ts';

describe('termEnd: the last day (inclusive) of a term', () => {
  it.each<[string, string, Term, string]>([
    ['a monthly term ends the day before the same date next month', '2027-01-10', 'P1M', '2027-02-09'],
    ['an annual term ends the day before the same date next year', '2027-01-10', 'P1Y', '2028-01-09'],
    ['a three-year term ends the day before the same date three years on', '2027-01-10', 'P3Y', '2030-01-09'],
    ['a month end clamps to the shorter month (Jan 31 monthly)', '2027-01-31', 'P1M', '2027-02-27'],
    ['a month end clamps to a 30-day month (Mar 31 monthly)', '2027-03-31', 'P1M', '2027-04-29'],
    ['a leap day bought annually clamps to Feb 28 of a common year', '2028-02-29', 'P1Y', '2029-02-27'],
    ['Jan 31 of a leap year monthly clamps to Feb 29', '2028-01-31', 'P1M', '2028-02-28'],
    ['a leap day on a three-year term clamps to Feb 28', '2028-02-29', 'P3Y', '2031-02-27'],
    ['December rolls over into January of the next year', '2027-12-15', 'P1M', '2028-01-14'],
    ['December 31 monthly ends on January 30', '2027-12-31', 'P1M', '2028-01-30'],
    ['the first of a month ends on the last day of that month', '2027-02-01', 'P1M', '2027-02-28'],
    ['the first of January annually ends on December 31', '2027-01-01', 'P1Y', '2027-12-31'],
  ])('%s: %s %s → %s', (_what, start, term, end) => {
    expect(termEnd(start, term)).toBe(end);
  });
});

describe('addDays: calendar days on a YYYY-MM-DD date', () => {
  it.each<[string, number, string]>([
    ['2027-04-10', -1, '2027-04-09'],
    ['2027-04-10', 6, '2027-04-16'],
    ['2027-03-01', -1, '2027-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2027-12-31', 1, '2028-01-01'],
    ['2027-05-05', 0, '2027-05-05'],
  ])('%s %+d → %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });
});

describe('renewalDays: what the renewals job for a day works on (docs/product.md#scheduled-jobs)', () => {
  it.each<[string, string, string]>([
    ['2027-04-10', '2027-04-09', '2027-04-16'],
    ['2027-03-01', '2027-02-28', '2027-03-07'],
    ['2028-01-01', '2027-12-31', '2028-01-07'],
  ])('the job of %s renews terms that ended %s and reminds terms ending %s (renewing in 7 days)', (day, ended, remindFor) => {
    expect(renewalDays(day)).toEqual({ ended, remindFor });
  });
});

describe('isoDate', () => {
  it.each([
    ['2027-01-10T00:00:00.000Z', '2027-01-10'],
    ['2027-01-10T23:59:59.999Z', '2027-01-10'],
    ['2028-02-29T12:00:00.000Z', '2028-02-29'],
    // UTC, whatever the offset the instant was written with
    ['2027-01-10T23:30:00-02:00', '2027-01-11'],
  ])('gives the UTC calendar date of %s as %s', (instant, date) => {
    expect(isoDate(new Date(instant))).toBe(date);
  });
});

describe('order status moves', () => {
  const allowed: ReadonlyArray<[OrderStatus, OrderStatus]> = [
    ['new', 'open'],
    ['new', 'cancelled'],
    ['new', 'failed'],
    ['open', 'provisioning'],
    ['open', 'cancelled'],
    ['open', 'failed'],
    ['provisioning', 'completed'],
    ['provisioning', 'failed'],
  ];
  const isAllowed = (from: OrderStatus, to: OrderStatus) => allowed.some(([f, t]) => f === from && t === to);
  const everyPair = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to, isAllowed(from, to)] as const));

  it('knows the six statuses of docs/product.md#orders-and-the-fulfillment-workflow', () => {
    expect([...ORDER_STATUSES].sort()).toEqual(['cancelled', 'completed', 'failed', 'new', 'open', 'provisioning']);
  });

  it.each(everyPair)('%s → %s is allowed: %s', (from, to, expected) => {
    expect(canMove(from, to)).toBe(expected);
  });

  it.each<[string, OrderStatus, OrderStatus]>([
    ['refuses to cancel an order already provisioning', 'provisioning', 'cancelled'],
    ['refuses to move a completed order anywhere', 'completed', 'failed'],
    ['refuses to reopen a cancelled order', 'cancelled', 'open'],
    ['refuses to go back from provisioning to open', 'provisioning', 'open'],
    ['refuses to go back from open to new', 'open', 'new'],
    ['refuses to skip the open step', 'new', 'provisioning'],
    ['refuses to complete an order that never provisioned', 'open', 'completed'],
    ['refuses to stay in place', 'open', 'open'],
  ])('%s (%s → %s)', (_what, from, to) => {
    expect(canMove(from, to)).toBe(false);
  });

  it.each<[OrderStatus, OrderStatus[]]>([
    ['new', []],
    ['open', ['new']],
    ['provisioning', ['open']],
    ['completed', ['provisioning']],
    ['cancelled', ['new', 'open']],
    ['failed', ['new', 'open', 'provisioning']],
  ])('an order may move to %s only from %j', (to, from) => {
    expect(statusesBefore(to)).toEqual(from);
  });

  it.each<[OrderStatus, boolean]>([
    ['new', false],
    ['open', false],
    ['provisioning', false],
    ['completed', true],
    ['failed', true],
    ['cancelled', true],
  ])('%s is final: %s', (status, final) => {
    expect(isFinal(status)).toBe(final);
  });
});

describe('money', () => {
  it('keeps integer minor units with their currency', () => {
    expect(money(1234, 'EUR')).toEqual({ amount: 1234, currency: 'EUR' });
  });

  it.each([[12.5], [0.1], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53]])('refuses %p as an amount (not a safe integer)', (amount) => {
    expect(() => money(amount, 'EUR')).toThrow(/integer minor units/);
  });

  it.each([
    [{ amount: 600, currency: 'EUR' }, 5, { amount: 3000, currency: 'EUR' }],
    [{ amount: 1299, currency: 'USD' }, 1, { amount: 1299, currency: 'USD' }],
    [{ amount: 1299, currency: 'USD' }, 0, { amount: 0, currency: 'USD' }],
  ])('times(%j, %i) is %j', (price, quantity, total) => {
    expect(times(price, quantity)).toEqual(total);
  });

  it('refuses a fractional quantity that would give a fractional amount', () => {
    expect(() => times({ amount: 1299, currency: 'EUR' }, 0.5)).toThrow(/integer minor units/);
  });

  it('adds amounts of one currency', () => {
    expect(sum([money(100, 'EUR'), money(250, 'EUR'), money(1, 'EUR')], 'EUR')).toEqual({ amount: 351, currency: 'EUR' });
  });

  it('sums nothing to zero in the asked currency', () => {
    expect(sum([], 'GBP')).toEqual({ amount: 0, currency: 'GBP' });
  });

  it('refuses to add mixed currencies', () => {
    expect(() => sum([money(100, 'EUR'), money(100, 'USD')], 'EUR')).toThrow('Cannot add USD to EUR');
  });

  it('refuses items all in another currency than the one asked', () => {
    expect(() => sum([money(100, 'USD')], 'EUR')).toThrow('Cannot add USD to EUR');
  });
});

describe('searchNameOf: the account name as ?q= compares it', () => {
  it.each<[string, string]>([
    ['Contoso Ltd', 'contoso ltd'],
    ['Café Müller GmbH', 'cafe muller gmbh'],
    ['ÉCOLE Ñandú', 'ecole nandu'],
    ['Straße', 'straße'],
    ['already plain', 'already plain'],
  ])('%s → %s', (name, expected) => {
    expect(searchNameOf(name)).toBe(expected);
  });

  it('finds a name typed with or without accents, in any case', () => {
    const stored = searchNameOf('Café Müller GmbH');
    for (const q of ['cafe', 'CAFÉ', 'müller', 'MULLER', 'é m']) expect(stored.includes(searchNameOf(q))).toBe(true);
  });
});

describe('account suspension rules', () => {
  it('reads every account of a path but the root, which nobody can suspend', () => {
    expect(suspendableOf(['acc_root'])).toEqual([]);
    expect(suspendableOf(['acc_root', 'acc_reseller', 'acc_customer'])).toEqual(['acc_reseller', 'acc_customer']);
  });

  it('counts an account as suspended when it or any account above it is', () => {
    expect(isSuspended([{ status: 'active' }, { status: 'active' }])).toBe(false);
    expect(isSuspended([{ status: 'suspended' }, { status: 'active' }])).toBe(true);
    expect(isSuspended([undefined, { status: 'suspended' }])).toBe(true);
  });

  it.each<[string, string, 'active' | 'suspended', 'active' | 'suspended', ReturnType<typeof accountStatusRefusal>]>([
    ['a parent suspends an active child', 'acc_child', 'active', 'suspended', undefined],
    ['a parent reactivates a suspended child', 'acc_child', 'suspended', 'active', undefined],
    ['suspending a suspended child is a conflict', 'acc_child', 'suspended', 'suspended', 'already'],
    ['reactivating an active child is a conflict', 'acc_child', 'active', 'active', 'already'],
    ['an account never suspends itself', 'acc_own', 'active', 'suspended', 'own_account'],
    ['nor reactivates itself', 'acc_own', 'suspended', 'active', 'own_account'],
  ])('%s', (_what, accountId, status, to, refusal) => {
    expect(accountStatusRefusal({ accountId: 'acc_own' }, { id: accountId, status }, to)).toBe(refusal);
  });

  it.each<[string, 'sales' | 'change' | 'cancellation' | 'renewal', boolean, boolean, boolean]>([
    ['an automatic account\'s order runs by itself', 'sales', true, false, true],
    ['a manual account\'s order waits', 'sales', false, false, false],
    ['a suspended account\'s order waits though automatic was asked', 'sales', true, true, false],
    ['so does its change order', 'change', true, true, false],
    ['and its cancellation', 'cancellation', true, true, false],
    ['a renewal never waits, suspended or not: subscriptions keep running', 'renewal', false, true, true],
  ])('%s', (_what, type, requested, suspended, automatic) => {
    expect(runsAutomatically({ type, requested, suspended })).toBe(automatic);
  });
});

describe('invitationResendWait: a partner invitation goes again at most once a minute', () => {
  const sent = '2027-03-01T10:00:00.000Z';
  it.each<[string, string | undefined, string, number]>([
    ['never sent', undefined, '2027-03-01T10:00:00.000Z', 0],
    ['just sent', sent, '2027-03-01T10:00:00.000Z', 60],
    ['sent 59.5 s ago', sent, '2027-03-01T10:00:59.500Z', 1],
    ['sent a minute ago', sent, '2027-03-01T10:01:00.000Z', 0],
    ['sent "in the future" (the clock moved back)', sent, '2027-03-01T09:59:00.000Z', 0],
  ])('%s → wait %s s', (_what, at, now, wait) => {
    expect(invitationResendWait(at, new Date(now))).toBe(wait);
  });
});
