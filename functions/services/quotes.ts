import * as quoteRepo from '#data/quotes.ts';
import type { Account } from '#data/accounts.ts';
import type { Quote } from '#data/quotes.ts';
import { QUOTE_TTL_SECONDS } from '#data/quotes.ts';
import type { Caller } from '#platform/caller.ts';
import { clock } from '#platform/clock.ts';
import { newId } from '#platform/ids.ts';
import { orderService, quoteLinesOf, type OrderService, type PlaceOrderInput } from './orders.ts';

/**
 * Quotes (docs/commerce.md "Quotes"): what an order of some lines would cost a customer account if
 * it were placed now — the lines priced down the chain, the seller's invoice taxed — without placing
 * anything. The lines go through the orders service's own `priceOrder`, so a quote refuses what the
 * order would refuse, with the same errors. The quote is kept 30 minutes under its id; a checkout or
 * staff order given that `quoteId` is priced again and compared with it (services/orders.ts).
 *
 * A new order has no proration: new subscriptions start a term on the day they are placed, so a
 * quote has none either, unless it is co-termed (`alignEndWith`: the first term priced by days, as
 * the order will be; a subscription's raise is prorated too, services/subscriptions.ts).
 *
 * Who may ask is the caller's business: the cart's rules for a cart (services/checkout.ts
 * `cartQuoteService`), a staff admin of the account or above for a staff order (http/orders).
 */
export interface QuoteDeps {
  orders: Pick<OrderService, 'priceOrder' | 'alignmentOf'>;
  quotes: Pick<typeof quoteRepo, 'insertQuote'>;
  clock: { now(): Date; nowIso(): string };
  newId: typeof newId;
}

export function makeQuoteService(deps: QuoteDeps) {
  return {
    /**
     * Prices and taxes `lines` for `account` as an order placed now, keeps the quote 30 minutes and
     * answers it. `alignEndWith` prices co-termed first terms by days, as the order would (its
     * domain is checked when the order is placed).
     */
    async quote(caller: Caller, account: Account, lines: PlaceOrderInput['lines'], alignEndWith?: string): Promise<Quote> {
      const now = deps.clock.now();
      const createdAt = now.toISOString();
      const alignment = alignEndWith ? await deps.orders.alignmentOf(account, alignEndWith) : undefined;
      const priced = await deps.orders.priceOrder(account, { lines, alignment }, createdAt.slice(0, 10));
      const { taxed } = priced;
      const quote: Quote = {
        id: deps.newId('quote'),
        accountId: account.id,
        createdBy: caller.userId,
        currency: taxed.net.currency,
        lines: quoteLinesOf(priced),
        net: taxed.net,
        taxes: taxed.taxes,
        total: taxed.total,
        taxTreatment: taxed.taxTreatment,
        seller: { accountId: taxed.seller.accountId, name: taxed.seller.name },
        createdAt,
        expiresAt: new Date(now.getTime() + QUOTE_TTL_SECONDS * 1000).toISOString(),
      };
      await deps.quotes.insertQuote(quote);
      return quote;
    },
  };
}

export type QuoteService = ReturnType<typeof makeQuoteService>;

export const quoteService = makeQuoteService({ orders: orderService, quotes: quoteRepo, clock, newId });
