import { orderActorIds, orderView, type Order } from '#data/orders.ts';
import { actorNames } from '#services/actor-names.ts';
import type { Caller } from '#platform/caller.ts';
import { lineFigures, viewerOf, type Viewer } from '#domain/pricing.ts';
import type { Quote } from '#data/quotes.ts';

/**
 * Orders as answered, wherever an area answers them (orders, checkout, a subscription's change,
 * the overview, an idempotent replay): the people of their status histories named in one read
 * for the whole answer (services/actor-names.ts), none when only the system acted. tsc holds
 * `orderView` to `OrderSchema` (orders/schemas.ts `orderAnswer`); this module does not import the
 * schemas, so the bundles that only replay an order do not carry them.
 */
export async function orderViews(orders: readonly Order[], caller?: Pick<Caller, 'accountType' | 'accountId'>): Promise<Array<ReturnType<typeof orderView>>> {
  const names = await actorNames.namesOf(orders.flatMap(orderActorIds));
  // The lines' figures for the seller and above (docs/commerce.md); without a caller, the buyer's view.
  return orders.map((o) => orderView(o, names, caller ? viewerOf(caller, o) : 'customer'));
}

export async function orderViewOf(order: Order, caller?: Pick<Caller, 'accountType' | 'accountId'>): Promise<ReturnType<typeof orderView>> {
  const [view] = await orderViews([order], caller);
  return view!;
}

/**
 * A quote as answered (orders/quote-schemas.ts QuoteSchema): its lines without their chains, and each
 * line's figures only for a viewer who is the seller or above (`viewerOf`), never for the buyer.
 */
export function quoteView(quote: Quote, viewer: Viewer) {
  const { createdBy: _createdBy, lines, ...rest } = quote;
  return {
    ...rest,
    lines: lines.map(({ unitChain, ...line }) => {
      // A co-termed line bills less than sell × quantity: its figures are the amount's share.
      const figures = lineFigures(viewer, unitChain, line.quantity, line.firstTermEnd ? line.total : undefined);
      return { ...line, ...(figures === undefined ? {} : { figures }) };
    }),
  };
}
