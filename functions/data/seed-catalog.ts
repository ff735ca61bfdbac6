import type { NewProduct } from './catalog.ts';

/**
 * The Microsoft 365 catalog the local stack seeds (docs/product.md#catalog-and-offers), with NCE offers and prices per
 * license and billing period in EUR cents. Ids are fixed so a restart re-seeds in place.
 */
type Seed = Omit<NewProduct, 'offers' | 'status' | 'createdAt'> & {
  monthly: number;
  threeYear?: boolean;
  /** A free trial of that many days converting to the P1Y offer billed monthly (docs/product.md#trials-and-qualifications). */
  trialDays?: number;
};

// Business Basic → Business Standard → Business Premium → Microsoft 365 E3: each lists those above it (docs/product.md#upgrades).
const STANDARD = 'prd_01JSTANDARD00000000000000M';
const PREMIUM = 'prd_01JPREM1VM000000000000000M';
const E3 = 'prd_01JE300000000000000000000M';

const SEEDS: Seed[] = [
  { id: 'prd_01JBAS1C0000000000000000M1', sku: 'CFQ7TTC0LH18', name: 'Microsoft 365 Business Basic', description: 'Web and mobile Office apps, Teams, Exchange email, 1 TB OneDrive per user.', category: 'productivity', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 300, cancellationWindowHours: 168, upgradeTargets: [STANDARD, PREMIUM, E3], monthly: 600 },
  { id: STANDARD, sku: 'CFQ7TTC0LDPB', name: 'Microsoft 365 Business Standard', description: 'Desktop Office apps, Teams, Exchange email, webinars and 1 TB OneDrive per user.', category: 'productivity', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 300, cancellationWindowHours: 168, upgradeTargets: [PREMIUM, E3], monthly: 1250 },
  { id: PREMIUM, sku: 'CFQ7TTC0LCHC', name: 'Microsoft 365 Business Premium', description: 'Business Standard plus advanced security, Intune device management and Defender.', category: 'productivity', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 300, cancellationWindowHours: 168, upgradeTargets: [E3], monthly: 2200, trialDays: 30 },
  { id: E3, sku: 'CFQ7TTC0LFLX', name: 'Microsoft 365 E3', description: 'Enterprise Office apps, security, compliance and Windows Enterprise for large organisations.', category: 'enterprise', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 100000, cancellationWindowHours: 168, monthly: 3600, threeYear: true },
  { id: 'prd_01JEXCHANGE1000000000000PM', sku: 'CFQ7TTC0LH16', name: 'Exchange Online (Plan 1)', description: 'Business email with 50 GB mailbox, calendar and contacts.', category: 'email', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 100000, cancellationWindowHours: 168, monthly: 400 },
  { id: 'prd_01JTEAMSESSENT1A1S000000PM', sku: 'CFQ7TTC0RM8K', name: 'Microsoft Teams Essentials', description: 'Online meetings, chat, file sharing and 10 GB cloud storage per user.', category: 'collaboration', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 300, cancellationWindowHours: 168, monthly: 400 },
  { id: 'prd_01JA3FACY0000000000000000M', sku: 'CFQ7TTC0LFFS', name: 'Microsoft 365 A3 for faculty', description: 'Office apps, Teams, security and device management for schools and universities; for education tenants only.', category: 'education', vendor: 'Microsoft', requiresTenant: true, minQuantity: 1, maxQuantity: 100000, cancellationWindowHours: 168, requiresQualification: 'education', monthly: 325 },
];

function offerId(productId: string, suffix: string): string {
  return `ofr_${productId.slice(4, 4 + 22)}${suffix}`;
}

export function seedCatalog(now: string): NewProduct[] {
  return SEEDS.map(({ monthly, threeYear, trialDays, ...p }) => {
    const offers: NewProduct['offers'] = [
      { id: offerId(p.id, 'Y1AN'), productId: p.id, term: 'P1Y', billingPeriod: 'annual', price: { amount: monthly * 12, currency: 'EUR' } },
      { id: offerId(p.id, 'M1MN'), productId: p.id, term: 'P1M', billingPeriod: 'monthly', price: { amount: Math.round(monthly * 1.2), currency: 'EUR' } },
      { id: offerId(p.id, 'Y1MN'), productId: p.id, term: 'P1Y', billingPeriod: 'monthly', price: { amount: monthly, currency: 'EUR' } },
    ];
    if (threeYear) {
      offers.push(
        { id: offerId(p.id, 'Y3AN'), productId: p.id, term: 'P3Y', billingPeriod: 'annual', price: { amount: Math.round(monthly * 12 * 0.95), currency: 'EUR' } },
        { id: offerId(p.id, 'Y3MN'), productId: p.id, term: 'P3Y', billingPeriod: 'monthly', price: { amount: Math.round(monthly * 0.95), currency: 'EUR' } },
      );
    }
    if (trialDays) {
      const paid = offers[2]!;
      offers.push({ id: offerId(p.id, 'TR1A'), productId: p.id, term: paid.term, billingPeriod: paid.billingPeriod, price: { amount: 0, currency: 'EUR' }, trial: { days: trialDays, convertsToOfferId: paid.id } });
    }
    return { ...p, status: 'active', offers, createdAt: now };
  });
}
