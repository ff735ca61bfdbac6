import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ApiError, unwrap, type ErrorDetail } from '../../api/errors';
import type { components } from '../../api/schema';

/*
 * The quote step of the checkout and of a staff order: what the order would cost now (lines, net,
 * VAT per rate, gross, how it is taxed, who sells it, until when), asked for when the review opens
 * and sent with the order as `quoteId`. A 409 `price_changed` is told in words and a fresh quote
 * replaces the old one; a 409 `quote_expired` is answered with a fresh quote. Either way the buyer
 * confirms again: nothing is placed on a price the screen did not show.
 */

export type Quote = components['schemas']['Quote'];
export type QuoteLine = components['schemas']['QuoteLine'];
export type Money = components['schemas']['Money'];
export type TaxTreatment = Quote['taxTreatment'];

/** The cart's quote (customers); co-termed as the checkout will be (`alignEndWith`: its first terms priced by days). */
export const quoteCart = (coTerm: { alignEndWith?: string } = {}) => unwrap(api.POST('/v1/cart/quote', { body: coTerm }));

/** A staff order's quote: its lines only; the lines then carry `figures` for the seller and above. */
export const quoteOrder = (accountId: string, lines: Array<{ offerId: string; quantity: number }>, coTerm: { alignEndWith?: string } = {}) =>
  unwrap(api.POST('/v1/accounts/{accountId}/orders/quote', { params: { path: { accountId } }, body: { lines, ...coTerm } }));

/** A line's figures as a 409 `price_changed` gives them. */
export interface LineFigures {
  quantity: number;
  unitPrice: Money;
  total: Money;
  rateBps: number;
}
export interface TotalFigures {
  net: Money;
  total: Money;
  taxTreatment: TaxTreatment;
}
export type QuoteChange =
  | { kind: 'line'; offerId: string; name: string; quoted: LineFigures | null; now: LineFigures | null }
  | { kind: 'total'; quoted: TotalFigures; now: TotalFigures };

const isMoney = (m: unknown): m is Money => !!m && typeof (m as Money).amount === 'number' && typeof (m as Money).currency === 'string';
const lineFigures = (v: unknown): LineFigures | null =>
  v && typeof v === 'object' && isMoney((v as LineFigures).unitPrice) && isMoney((v as LineFigures).total) ? (v as LineFigures) : null;
const totalFigures = (v: unknown): TotalFigures | undefined =>
  v && typeof v === 'object' && isMoney((v as TotalFigures).net) && isMoney((v as TotalFigures).total) ? (v as TotalFigures) : undefined;

/**
 * What a 409 `price_changed` says changed, one entry per offer (named from the quotes that had it,
 * else by its id) then the totals; details the console does not know are left out.
 */
export function quoteChanges(details: readonly ErrorDetail[], named: ReadonlyArray<Pick<QuoteLine, 'offerId' | 'name'>>): QuoteChange[] {
  const out: QuoteChange[] = [];
  let total: QuoteChange | undefined;
  for (const d of details) {
    if (d.path === 'total') {
      const quoted = totalFigures(d.quoted);
      const now = totalFigures(d.now);
      if (quoted && now) total = { kind: 'total', quoted, now };
    } else if (typeof d.offerId === 'string') {
      const quoted = lineFigures(d.quoted);
      const now = lineFigures(d.now);
      if (!quoted && !now) continue;
      out.push({ kind: 'line', offerId: d.offerId, name: named.find((l) => l.offerId === d.offerId)?.name ?? d.offerId, quoted, now });
    }
  }
  return total ? [...out, total] : out;
}

/** Whether an order's refusal is one the quote step answers itself (a fresh quote to confirm). */
export const isQuoteRefusal = (err: unknown): boolean => err instanceof ApiError && err.status === 409 && (err.code === 'price_changed' || err.code === 'quote_expired');

/**
 * The quote step's state: `start()` when the review opens; `refused(err)` with an order's error
 * answers whether it was the quote's (then a fresh quote is on its way and the reason is kept to
 * be shown until the next confirmation).
 */
export function useQuoteStep(ask: () => Promise<Quote>) {
  const [quote, setQuote] = useState<Quote | undefined>();
  const [notice, setNotice] = useState<{ kind: 'changed'; changes: QuoteChange[] } | { kind: 'expired' } | undefined>();
  const request = useMutation({ mutationFn: ask, onSuccess: setQuote });

  const start = () => {
    setNotice(undefined);
    setQuote(undefined);
    request.reset();
    void request.mutateAsync().catch(() => undefined);
  };

  const refused = (err: unknown): boolean => {
    if (!isQuoteRefusal(err)) return false;
    const e = err as ApiError;
    if (e.code === 'price_changed') {
      const previous = quote?.lines ?? [];
      setNotice({ kind: 'changed', changes: [] });
      void request.mutateAsync().then(
        (fresh) => setNotice({ kind: 'changed', changes: quoteChanges(e.details, [...previous, ...fresh.lines]) }),
        () => setNotice({ kind: 'changed', changes: quoteChanges(e.details, previous) }),
      );
    } else {
      setNotice({ kind: 'expired' });
      void request.mutateAsync().catch(() => undefined);
    }
    setQuote(undefined);
    return true;
  };

  return { quote, notice, pending: request.isPending, error: request.error, start, refused };
}
export type QuoteStep = ReturnType<typeof useQuoteStep>;
