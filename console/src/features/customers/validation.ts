import type { TFunction } from 'i18next';
import type { AddressForm } from '../../ui/address';

type ErrorsT = TFunction<'errors'>;
type CustomersT = TFunction<'customers'>;

/**
 * The limits the API documents for accounts, checked before sending: names 1–100 characters, a
 * full postal address (line 1, city, postal code and a two-letter country), an ISO 4217 currency,
 * a login that is an email address, passwords of 10 to 128 characters that are not the login, and
 * a support contact of an email address, a phone number or a web address (http or https).
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE = /^\+?[0-9 ()./-]{4,30}$/;

export const validName = (te: ErrorsT) => (v: string) => (!v.trim() ? te('field.required') : v.trim().length > 100 ? te('field.tooLong') : null);

export const validEmail = (te: ErrorsT, required = true) => (v: string) => {
  const s = v.trim();
  if (!s) return required ? te('field.required') : null;
  if (s.length > 254) return te('field.tooLong');
  return EMAIL.test(s) ? null : te('field.email');
};

export function passwordProblem(te: ErrorsT, password: string, login: string): string | null {
  if (!password) return te('field.required');
  if (password.length < 10 || password.length > 128) return te('field.passwordLength');
  if (password.toLowerCase() === login.trim().toLowerCase()) return te('field.passwordIsLogin');
  return null;
}

export function webUrl(v: string): boolean {
  try {
    const u = new URL(v.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}

/** The rules of a full postal address (an account always has one). */
export function addressRules(te: ErrorsT, t: CustomersT) {
  const max = (n: number) => (v: string) => (!v.trim() ? te('field.required') : v.trim().length > n ? te('field.tooLong') : null);
  return {
    line1: max(200),
    line2: (v: string) => (v.trim().length > 200 ? te('field.tooLong') : null),
    city: max(100),
    postalCode: max(20),
    state: (v: string) => (v.trim().length > 100 ? te('field.tooLong') : null),
    country: (v: string) => (!v.trim() ? te('field.required') : /^[A-Za-z]{2}$/.test(v.trim()) ? null : t('form.countryInvalid')),
  } satisfies Record<keyof AddressForm, (v: string) => string | null>;
}
