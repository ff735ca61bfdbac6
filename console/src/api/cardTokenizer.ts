/**
 * Card numbers go to the payment gateway's tokenizing endpoint, never to /v1: the API only ever
 * sees the token it answers (with the brand and last 4 digits). Locally that is the sandbox
 * gateway of the local stack (`/_local/payment-gateway/tokens`); a deployment names its card
 * processor's endpoint at build time (VITE_PAYMENT_GATEWAY_TOKENIZE_URL) and allows it in the CSP.
 */
const TOKENIZE_URL = (import.meta.env.VITE_PAYMENT_GATEWAY_TOKENIZE_URL as string | undefined) ?? '/_local/payment-gateway/tokens';

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}
export interface CardToken {
  token: string;
  brand: string;
  last4: string;
}

export class CardRefused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export async function tokenizeCard(card: CardInput): Promise<CardToken> {
  let res: Response;
  try {
    res = await fetch(TOKENIZE_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...card, number: card.number.replace(/\s+/g, '') }) });
  } catch {
    throw new CardRefused('network_error');
  }
  const body = (await res.json().catch(() => ({}))) as Partial<CardToken> & { error?: { code?: string } };
  if (!res.ok || !body.token) throw new CardRefused(body.error?.code ?? 'card_refused');
  return { token: body.token, brand: body.brand ?? '', last4: body.last4 ?? '' };
}
