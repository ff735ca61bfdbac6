import type { components } from '../api/schema';

/** A postal address as the API answers and takes it (users, the own profile). */
export type Address = components['schemas']['User']['address'];

export const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'postalCode', 'state', 'country'] as const;
/** The address in a form: every field a string, empty when absent. */
export type AddressForm = Record<(typeof ADDRESS_FIELDS)[number], string>;

export function addressForm(a: Address): AddressForm {
  return { line1: a?.line1 ?? '', line2: a?.line2 ?? '', city: a?.city ?? '', postalCode: a?.postalCode ?? '', state: a?.state ?? '', country: a?.country ?? '' };
}

/** The address as the API takes it: null when every field is empty, optional lines left out. */
export function addressBody(f: AddressForm): Address {
  const v = Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, f[k].trim()])) as AddressForm;
  if (ADDRESS_FIELDS.every((k) => !v[k])) return null;
  return {
    line1: v.line1,
    ...(v.line2 ? { line2: v.line2 } : {}),
    city: v.city,
    postalCode: v.postalCode,
    ...(v.state ? { state: v.state } : {}),
    country: v.country.toUpperCase(),
  };
}
