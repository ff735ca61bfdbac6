import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import type { CheckoutBody } from './queries';

/** What the checkout wizard collects before it buys. */
export interface CheckoutValues {
  mode: 'create' | 'existing' | 'link';
  prefix: string;
  companyName: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  domainId: string;
  /** What a new tenant is qualified for (mode create), checked by Microsoft. */
  qualification: 'none' | (typeof QUALIFICATIONS)[number];
  /** An existing tenant to link with the order (mode link): `name.onmicrosoft.com`. */
  linkDomain: string;
  /** Co-terming: `none`, `calendarMonth` or the id of a subscription on the chosen domain. */
  alignEndWith: string;
  agreeFirstName: string;
  agreeLastName: string;
  agreeEmail: string;
  accepted: boolean;
  acceptedAt: string;
  paymentMethodId: string;
}
export type CheckoutForm = UseFormReturnType<CheckoutValues>;

/** What a new tenant may be qualified for (docs/product.md#trials-and-qualifications). */
export const QUALIFICATIONS = ['education', 'nonprofit', 'government'] as const;

export const PREFIX = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
export const LINK_DOMAIN = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\.onmicrosoft\.com$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Countries offered for the company address (ISO 3166-1 alpha-2), named in the user's language. */
export const COUNTRIES = ['AT', 'BE', 'BG', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'US', 'CA', 'MX', 'AR', 'CL', 'CO', 'PE', 'BR'];

/**
 * The domain step's errors (the checkout's, and staff placing an order for a customer): a new
 * tenant's name, company and contact; a domain chosen; a tenant's name to link; and the
 * Customer Agreement's signatory when the account has none yet.
 */
export function domainStepErrors(v: CheckoutValues, needsAgreement: boolean, t: TFunction<'shop'>): Partial<Record<keyof CheckoutValues, string>> {
  const e: Partial<Record<keyof CheckoutValues, string>> = {};
  const required = t('field.required', { ns: 'errors' });
  const need = (k: keyof CheckoutValues) => {
    if (!String(v[k]).trim()) e[k] = required;
  };
  if (v.mode === 'create') {
    if (!v.prefix.trim()) e.prefix = required;
    else if (!PREFIX.test(v.prefix.trim())) e.prefix = t('checkout.domain.prefixInvalid');
    (['companyName', 'line1', 'city', 'postalCode', 'country', 'firstName', 'lastName', 'email'] as const).forEach(need);
    if (v.email.trim() && !EMAIL.test(v.email.trim())) e.email = t('field.email', { ns: 'errors', defaultValue: t('checkout.domain.email') });
  } else if (v.mode === 'existing') {
    if (!v.domainId) e.domainId = t('checkout.domain.chooseRequired');
  } else if (!v.linkDomain.trim()) {
    e.linkDomain = required;
  } else if (!LINK_DOMAIN.test(v.linkDomain.trim().toLowerCase())) {
    e.linkDomain = t('checkout.domain.linkInvalid');
  }
  if (needsAgreement) {
    (['agreeFirstName', 'agreeLastName', 'agreeEmail'] as const).forEach(need);
    if (v.agreeEmail.trim() && !EMAIL.test(v.agreeEmail.trim())) e.agreeEmail = t('field.email', { ns: 'errors', defaultValue: t('checkout.domain.email') });
    if (!v.accepted) e.accepted = t('checkout.agreement.mustAccept');
  }
  return e;
}

/** The domain and, when the account has none yet, the Customer Agreement of an order's body (checkout and staff orders alike). */
export function domainChoice(v: CheckoutValues, needsAgreement: boolean): Pick<CheckoutBody, 'domain' | 'customerAgreement'> {
  const domain: CheckoutBody['domain'] =
    v.mode === 'create'
      ? {
          mode: 'create',
          prefix: v.prefix.trim(),
          company: {
            name: v.companyName.trim(),
            address: { line1: v.line1.trim(), city: v.city.trim(), postalCode: v.postalCode.trim(), country: v.country },
            contact: { firstName: v.firstName.trim(), lastName: v.lastName.trim(), email: v.email.trim(), ...(v.phone.trim() ? { phone: v.phone.trim() } : {}) },
          },
          ...(v.qualification !== 'none' ? { qualification: v.qualification } : {}),
        }
      : v.mode === 'existing'
        ? { mode: 'existing', domainId: v.domainId }
        : // Linked with the order itself (the account's domain of that name when it has one).
          { mode: 'link', domain: v.linkDomain.trim().toLowerCase() };
  return needsAgreement ? { domain, customerAgreement: { firstName: v.agreeFirstName.trim(), lastName: v.agreeLastName.trim(), email: v.agreeEmail.trim(), acceptedAt: v.acceptedAt } } : { domain };
}

/** The domain of the account the order goes on, when it has one already (chosen, or linked before under that name). */
export function chosenDomain<D extends { id: string; domain: string }>(v: CheckoutValues, domains: readonly D[]): D | undefined {
  if (v.mode === 'existing') return domains.find((d) => d.id === v.domainId);
  if (v.mode === 'link') return domains.find((d) => d.domain === v.linkDomain.trim().toLowerCase());
  return undefined;
}

/**
 * Co-terming's choices (docs/product.md "Co-terming"): the calendar month, or an active
 * subscription on the order's domain (a new domain has none). `alignEndWith` of the body when one is chosen.
 */
export function coTermTargets<D extends { id: string; domain: string; subscriptions: Array<{ id: string; name: string; quantity: number; status: string }> }>(v: CheckoutValues, domains: readonly D[]) {
  return (chosenDomain(v, domains)?.subscriptions ?? []).filter((s) => s.status === 'active');
}

export function coTermChoice(v: CheckoutValues, domains: Parameters<typeof coTermTargets>[1]): { alignEndWith?: string } {
  if (v.alignEndWith === 'calendarMonth') return { alignEndWith: 'calendarMonth' };
  return coTermTargets(v, domains).some((s) => s.id === v.alignEndWith) ? { alignEndWith: v.alignEndWith } : {};
}
