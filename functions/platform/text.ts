/**
 * What a text field may not hold (docs/product.md#api-conventions): C0 controls (CR, LF, tab and NUL included) and DEL,
 * C1 controls, the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), and the
 * Unicode line and paragraph separators. Such characters break headers (an email Subject), logs and
 * CSV exports, or make a name read differently from what it is; no legitimate field needs them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROL_CHARACTERS_ALL = new RegExp(CONTROL_CHARACTERS.source, 'g');

export interface TextIssue {
  path: string;
  code: 'invalid_characters';
  message: string;
}

/** Every string in a parsed JSON value (object keys included) that holds a control character. */
export function controlCharacterIssues(value: unknown, path: Array<string | number> = []): TextIssue[] {
  if (typeof value === 'string') {
    return CONTROL_CHARACTERS.test(value)
      ? [{ path: path.join('.'), code: 'invalid_characters', message: 'must not contain control characters (line breaks, tabs, NUL, C1 controls, bidi overrides)' }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => controlCharacterIssues(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(CONTROL_CHARACTERS.test(k) ? controlCharacterIssues(k, [...path, k]) : []),
      ...controlCharacterIssues(v, [...path, k]),
    ]);
  }
  return [];
}

/** One line of plain text: every run of control characters becomes one space (email subjects). */
export function singleLine(value: string): string {
  return value.replace(CONTROL_CHARACTERS_ALL, ' ').replace(/ {2,}/g, ' ').trim();
}
