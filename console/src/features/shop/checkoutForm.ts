import type { UseFormReturnType } from '@mantine/form';

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
  linkDomain: string;
  /** The domain linked in this checkout (mode link), once the API has it. */
  linkedDomainId: string;
  agreeFirstName: string;
  agreeLastName: string;
  agreeEmail: string;
  accepted: boolean;
  acceptedAt: string;
  paymentMethodId: string;
}
export type CheckoutForm = UseFormReturnType<CheckoutValues>;

export const PREFIX = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
export const LINK_DOMAIN = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\.onmicrosoft\.com$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Countries offered for the company address (ISO 3166-1 alpha-2), named in the user's language. */
export const COUNTRIES = ['AT', 'BE', 'BG', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'US', 'CA', 'MX', 'AR', 'CL', 'CO', 'PE', 'BR'];
