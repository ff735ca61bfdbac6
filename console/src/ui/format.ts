import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';

export type Money = components['schemas']['Money'];

/** Formatting in the user's language: money from minor units, dates and times. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return {
    money: (m: Money | null | undefined) =>
      m ? new Intl.NumberFormat(lng, { style: 'currency', currency: m.currency }).format(m.amount / 100) : '—',
    date: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: iso.length === 10 ? 'UTC' : undefined }).format(new Date(iso)) : '—',
    dateTime: (iso: string | null | undefined) => (iso ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—'),
    number: (n: number) => new Intl.NumberFormat(lng).format(n),
  };
}
