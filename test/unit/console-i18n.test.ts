import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The console's three catalogs stay in step: every namespace has the same keys in en, es and de,
 * no text is empty, the same {{placeholders}} appear in every language, and every error code the
 * API documents has a message (so no refusal reaches a user untranslated).
 */
const LOCALES = resolve(import.meta.dirname, '../../console/src/i18n/locales');
const LANGUAGES = ['en', 'es', 'de'] as const;
type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out[prefix + k] = v;
    else Object.assign(out, flatten(v, `${prefix}${k}.`));
  }
  return out;
}

const read = (lng: string, ns: string) => flatten(JSON.parse(readFileSync(resolve(LOCALES, lng, ns), 'utf8')) as Tree);
const namespaces = readdirSync(resolve(LOCALES, 'en')).filter((f) => f.endsWith('.json'));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('the console catalogs', () => {
  it('has the same namespaces in every language', () => {
    for (const lng of LANGUAGES) expect(readdirSync(resolve(LOCALES, lng)).filter((f) => f.endsWith('.json')).sort()).toEqual([...namespaces].sort());
  });

  it.each(namespaces)('%s: the same keys in en, es and de, none empty, the same placeholders', (ns) => {
    const en = read('en', ns);
    for (const lng of ['es', 'de']) {
      const other = read(lng, ns);
      expect({ lng, ns, keys: Object.keys(other).sort() }).toEqual({ lng, ns, keys: Object.keys(en).sort() });
      for (const [key, text] of Object.entries(other)) {
        expect({ lng, key, empty: text.trim() === '' }).toEqual({ lng, key, empty: false });
        expect({ lng, key, placeholders: placeholders(text) }).toEqual({ lng, key, placeholders: placeholders(en[key] ?? '') });
      }
    }
  });

  it('has a message for every error code the API documents, in every language', () => {
    const document = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../functions/http/docs/openapi.json'), 'utf8')) as { components: { schemas: { ErrorCode: { enum: string[] } } } };
    for (const lng of LANGUAGES) {
      const errors = read(lng, 'errors.json');
      const missing = document.components.schemas.ErrorCode.enum.filter((code) => !errors[`code.${code}`]);
      expect({ lng, missing }).toEqual({ lng, missing: [] });
    }
  });
});
