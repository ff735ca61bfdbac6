import {
  buyerMaySee,
  isSelfServiceBuyer,
  methodPaysFor,
  methodVisibleTo,
  normalizedProductList,
  selfServiceAllows,
  settingsTheAccountMayNotSet,
} from '#domain/self-service.ts';
import { userMatches, userQueryWords, userSearchText } from '#domain/user-search.ts';

/** The rules of self-service purchases (domain/self-service.ts, docs/product.md#self-service-subscriptions) and of the users search (domain/user-search.ts). */
const TEAMS = 'prd_TEAMS';
const BASIC = 'prd_BASIC';

describe('which products a customer user may buy', () => {
  it.each([
    ['self-service off, no list', { allowSelfServicePurchases: false }, TEAMS, false],
    ['self-service off, product listed', { allowSelfServicePurchases: false, selfServiceProducts: [TEAMS] }, TEAMS, false],
    ['self-service on, no list: every product', { allowSelfServicePurchases: true }, TEAMS, true],
    ['self-service on, empty list: every product', { allowSelfServicePurchases: true, selfServiceProducts: [] }, BASIC, true],
    ['self-service on, product listed', { allowSelfServicePurchases: true, selfServiceProducts: [BASIC, TEAMS] }, TEAMS, true],
    ['self-service on, product not listed', { allowSelfServicePurchases: true, selfServiceProducts: [TEAMS] }, BASIC, false],
  ])('%s', (_case, settings, productId, allowed) => {
    expect(selfServiceAllows(settings, productId)).toBe(allowed);
  });

  it('lets the account itself set only its self-service list', () => {
    expect(settingsTheAccountMayNotSet({ selfServiceProducts: [TEAMS] })).toEqual([]);
    expect(settingsTheAccountMayNotSet({})).toEqual([]);
    expect(settingsTheAccountMayNotSet({ selfServiceProducts: [], orderProcessing: 'manual' })).toEqual(['orderProcessing']);
    expect(settingsTheAccountMayNotSet({ allowSelfServicePurchases: true })).toEqual(['allowSelfServicePurchases']);
  });

  it('keeps each product once, in the order given', () => {
    expect(normalizedProductList([TEAMS, BASIC, TEAMS])).toEqual([TEAMS, BASIC]);
  });
});

describe('what a buyer reaches', () => {
  const sam = { userId: 'usr_SAM', accountType: 'customer', role: 'user' } as const;
  const customerAdmin = { userId: 'usr_ADA', accountType: 'customer', role: 'admin' } as const;
  const staffUser = { userId: 'usr_STAFF', accountType: 'reseller', role: 'user' } as const;

  it('knows a customer user as a self-service buyer, nobody else', () => {
    expect([sam, customerAdmin, staffUser].map(isSelfServiceBuyer)).toEqual([true, false, false]);
  });

  it.each([
    ['a user, its own purchase', sam, { buyerUserId: 'usr_SAM' }, true],
    ['a user, another user\'s purchase', sam, { buyerUserId: 'usr_INA' }, false],
    ['a user, an admin\'s order', sam, {}, false],
    ['an admin, a user\'s purchase', customerAdmin, { buyerUserId: 'usr_SAM' }, true],
    ['an admin, its own order', customerAdmin, {}, true],
    ['staff, a user\'s purchase', staffUser, { buyerUserId: 'usr_SAM' }, true],
  ])('sees orders and invoices: %s → %s', (_case, caller, resource, seen) => {
    expect(buyerMaySee(caller, resource)).toBe(seen);
  });

  it.each([
    ['a user, its own card', sam, { ownerUserId: 'usr_SAM' }, true],
    ['a user, another user\'s card', sam, { ownerUserId: 'usr_INA' }, false],
    ['a user, the account\'s card', sam, {}, false],
    ['an admin, a user\'s card', customerAdmin, { ownerUserId: 'usr_SAM' }, false],
    ['an admin, the account\'s card', customerAdmin, {}, true],
    ['staff, a user\'s card', staffUser, { ownerUserId: 'usr_SAM' }, false],
  ])('sees payment methods: %s → %s', (_case, caller, method, seen) => {
    expect(methodVisibleTo(caller, method)).toBe(seen);
  });

  it.each([
    ['the buyer\'s own card pays its purchase', { ownerUserId: 'usr_SAM' }, 'usr_SAM', true],
    ['another user\'s card does not', { ownerUserId: 'usr_INA' }, 'usr_SAM', false],
    ['the account\'s card does not pay a self-service purchase', {}, 'usr_SAM', false],
    ['the account\'s card pays the account\'s purchase', {}, undefined, true],
    ['a user\'s own card never pays the account\'s purchase', { ownerUserId: 'usr_SAM' }, undefined, false],
  ])('%s', (_case, method, buyerUserId, pays) => {
    expect(methodPaysFor(method, buyerUserId)).toBe(pays);
  });
});

describe('users search', () => {
  const jose = { firstName: 'José', lastName: 'García  Pérez', login: 'Jose.Garcia@Contoso.example' };

  it('keeps names and login folded: no accents, lower case, single spaces', () => {
    expect(userSearchText(jose)).toBe('jose garcia perez jose.garcia@contoso.example');
  });

  it('takes the words of q folded, each once, at most five', () => {
    expect(userQueryWords('  GARCÍA  jo garcia ')).toEqual(['garcia', 'jo']);
    expect(userQueryWords('a b c d e f g')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(userQueryWords(undefined)).toEqual([]);
  });

  it.each([
    ['JOSE', true],
    ['garcía', true],
    ['pérez jo', true],
    ['contoso.example', true],
    ['Zoë', false],
    ['jose zoe', false],
  ])('q=%s → %s', (q, found) => {
    expect(userMatches(jose, q)).toBe(found);
  });
});
