/**
 * Finding people by name (docs/product.md#accounts-and-users `GET /v1/accounts/{accountId}/users?q=`),
 * with no I/O: a user keeps its first name, last name and login as one lower-case text without
 * accents (`userSearchText`), and `?q=` finds the users whose text holds every word of it, so
 * "josé", "JOSE" and "garcía jo" all find José García (jose.garcia@contoso.example).
 */

/** Accents off (NFD, combining marks dropped), lower-cased; spaces collapsed. */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** The text a user is searched by: its names and its login, folded. */
export function userSearchText(u: { firstName: string; lastName: string; login: string }): string {
  return fold(`${u.firstName} ${u.lastName} ${u.login}`);
}

/** The words of `?q=`: folded, distinct, at most 5 (each must be found). */
export function userQueryWords(q: string | undefined): string[] {
  return [...new Set(fold(q ?? '').split(' ').filter(Boolean))].slice(0, 5);
}

/** Does a user match `?q=` (the same rule the table's filter applies)? */
export function userMatches(u: { firstName: string; lastName: string; login: string }, q: string | undefined): boolean {
  const text = userSearchText(u);
  return userQueryWords(q).every((w) => text.includes(w));
}
