import { EMAIL_TEMPLATES, LOCALES, renderEmail } from '#emails/index.ts';
import { LONG_SAMPLES } from './email-samples.ts';

/**
 * The HTML part fits a 375 px phone: the layout is fluid (600 px at most, never at least), and a
 * long word (a token in a link, a tenant domain, an account name without spaces) wraps instead of
 * widening the message. Checked on the markup of every template in every locale, with the long
 * values of email-samples.ts; rendered in Chromium at 375 px, none scrolls sideways.
 */
const PHONE = 375;

/** A support contact with a long web address, as the footer of an account's emails shows it. */
const SUPPORT = { email: 'support@cloud-license-distribution.example.com', phone: '+49 40 1234 5678', url: `https://support.cloud-license-distribution.example.com/${'kb/'.repeat(40)}` };

const renders = EMAIL_TEMPLATES.flatMap((template) =>
  LOCALES.map((locale) => ({ name: `${template} (${locale})`, html: renderEmail(template, locale, LONG_SAMPLES[template]).html })),
).concat(LOCALES.map((locale) => ({ name: `activation (${locale}) with the support footer`, html: renderEmail('activation', locale, LONG_SAMPLES.activation, SUPPORT).html })));

/** Every `<tag …>` of the markup with its attributes as written. */
function tags(html: string): Array<{ tag: string; attrs: string }> {
  return [...html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)].map((m) => ({ tag: m[1]!.toLowerCase(), attrs: m[2]! }));
}

function styleOf(attrs: string): string {
  return /\bstyle="([^"]*)"/.exec(attrs)?.[1] ?? '';
}

describe.each(renders)('the HTML of $name', ({ html }) => {
  it('declares no width wider than a phone, except as a max-width', () => {
    const tooWide: string[] = [];
    for (const { tag, attrs } of tags(html)) {
      const attribute = /\bwidth="(\d+)(px)?"/.exec(attrs);
      if (attribute && Number(attribute[1]) > PHONE) tooWide.push(`<${tag} width="${attribute[1]}">`);
      for (const m of styleOf(attrs).matchAll(/(^|;)\s*((?:min-)?width)\s*:\s*(\d+)px/g)) {
        if (Number(m[3]) > PHONE) tooWide.push(`<${tag} style="${m[2]}:${m[3]}px">`);
      }
    }
    expect(tooWide).toEqual([]);
  });

  it('is fluid: the message column is 100% wide up to 600 px, and every table is 100% wide', () => {
    const tables = tags(html).filter((t) => t.tag === 'table');
    expect(tables.length).toBeGreaterThan(1);
    for (const { attrs } of tables) expect(attrs).toMatch(/\bwidth="100%"/);
    const column = tables[1]!;
    expect(styleOf(column.attrs)).toMatch(/max-width:600px/);
    expect(styleOf(column.attrs)).toMatch(/(^|;)width:100%/);
  });

  it('lets long words and links wrap, and nothing forbids wrapping', () => {
    expect(html).not.toMatch(/white-space:\s*nowrap/);
    const content = tags(html).find((t) => t.tag === 'td' && /font-family/.test(styleOf(t.attrs)));
    expect(styleOf(content!.attrs)).toMatch(/overflow-wrap:anywhere/);
    expect(styleOf(content!.attrs)).toMatch(/word-break:break-word/);
  });

  it('keeps any image within the column', () => {
    expect(html).toMatch(/<style[^>]*>[^<]*img\s*\{[^}]*max-width:100%/);
  });
});

describe.each(LOCALES)('the support footer (%s)', (locale) => {
  it('sits outside the column, so it wraps a long web address itself', () => {
    const { html } = renderEmail('activation', locale, LONG_SAMPLES.activation, SUPPORT);
    const style = /^<p style="([^"]*)">[^\n]*mailto:/m.exec(html)?.[1];
    expect(style).toMatch(/max-width:600px/);
    expect(style).toMatch(/overflow-wrap:anywhere/);
    expect(style).toMatch(/word-break:break-word/);
  });
});
