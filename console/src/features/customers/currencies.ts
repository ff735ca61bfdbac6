/** The currencies offered for an account (ISO 4217); an account's own stays offered whatever it is. */
const COMMON = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'MXN', 'BRL', 'ARS', 'CLP', 'COP', 'PEN', 'CAD', 'AUD', 'JPY'];

/** The choices of a currency field, each named in the reader's language ("EUR – Euro"). */
export function currencyOptions(lng: string, current?: string): Array<{ value: string; label: string }> {
  const names = new Intl.DisplayNames([lng], { type: 'currency' });
  const codes = current && !COMMON.includes(current) ? [current, ...COMMON] : COMMON;
  return codes.map((c) => ({ value: c, label: `${c} – ${names.of(c) ?? c}` }));
}
