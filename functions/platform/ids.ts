import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export const ID_PREFIXES = {
  account: 'acc',
  user: 'usr',
  product: 'prd',
  offer: 'ofr',
  order: 'ord',
  subscription: 'sub',
  domain: 'dom',
  paymentMethod: 'pm',
  invoice: 'inv',
  outbox: 'evt',
  cartItem: 'itm',
  charge: 'ch',
  cardToken: 'tok',
  priceList: 'prl',
  quote: 'quo',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${next()}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`);
}
