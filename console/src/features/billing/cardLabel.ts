import type { TFunction } from 'i18next';
import type { PaymentMethod } from './queries';

const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover' };

/** A card in words: "Visa •••• 4242, expires 12/2030"; invoice payment in words. */
export function cardLabel(m: PaymentMethod, t: TFunction<'billing'>): string {
  if (m.type !== 'card') return t('methods.invoiceType');
  return t('methods.cardLabel', { brand: brandName(m.brand, t), last4: m.last4 ?? '', expiry: expiry(m) });
}

export const brandName = (brand: string | null, t: TFunction<'billing'>) => (brand && BRANDS[brand]) || t('methods.unknownBrand');
export const expiry = (m: PaymentMethod) => (m.expMonth && m.expYear ? `${String(m.expMonth).padStart(2, '0')}/${m.expYear}` : '—');
