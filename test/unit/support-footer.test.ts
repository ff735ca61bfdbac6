import { EMAIL_TEMPLATES, LOCALES, outboxEmail, renderEmail } from '#emails/index.ts';
import { LONG_SAMPLES as SAMPLES } from './email-samples.ts';

/**
 * The support contact closing an email (docs/product.md#emails): one footer line in the text and
 * the HTML part, in the recipient's language, the values escaped, the address and the web address
 * links; no contact, no line. And the outbox record that names the account it belongs to.
 */
const desk = { email: 'help@reseller.test', phone: '+34 910 000 000', url: 'https://help.reseller.test/portal?from=mail&lang=en' };
const data = SAMPLES['password-changed'];
const FOOTER_LINE = /<p style="([^"]*)">([^\n]*)<\/p>\n<p style="[^"]*">[^<]*<\/p>\n<\/td><\/tr><\/table>\n<\/body>/;

const HELP = {
  en: 'Need help? Contact support:',
  es: '¿Necesita ayuda? Contacte con el servicio de asistencia:',
  de: 'Brauchen Sie Hilfe? Wenden Sie sich an den Support:',
} as const;

describe('the support footer', () => {
  it.each(LOCALES)('closes the text part in %s, above the automatic-message line', (locale) => {
    const { text } = renderEmail('password-changed', locale, data, desk);
    const plain = renderEmail('password-changed', locale, data).text;
    const line = `${HELP[locale]} help@reseller.test · +34 910 000 000 · https://help.reseller.test/portal?from=mail&lang=en\n`;
    expect(text).toContain(`\n-- \n${line}`);
    // Nothing else of the message moves: the line is the only difference.
    expect(text.replace(line, '')).toBe(plain);
  });

  it.each(LOCALES)('closes the HTML part in %s with the address and the web address as links, escaped', (locale) => {
    const { html } = renderEmail('password-changed', locale, data, desk);
    const [, style, footer] = FOOTER_LINE.exec(html) ?? [];
    expect(footer).toBeDefined();
    // Right below the message, above the automatic-message line; a long web address wraps on a phone.
    expect(style).toContain('max-width:600px;');
    expect(style).toContain('overflow-wrap:anywhere;');
    expect(footer).toContain(
      `${HELP[locale]} <a href="mailto:help@reseller.test" style="color:#6b7280;text-decoration:underline;">help@reseller.test</a>` +
        ' · +34 910 000 000 · ' +
        '<a href="https://help.reseller.test/portal?from=mail&amp;lang=en" style="color:#6b7280;text-decoration:underline;">https://help.reseller.test/portal?from=mail&amp;lang=en</a>',
    );
    expect(html).not.toContain('from=mail&lang');
  });

  it('shows only the parts given, in the order email, phone, URL', () => {
    expect(renderEmail('password-changed', 'en', data, { phone: '+49 30 1234' }).text).toContain('Need help? Contact support: +49 30 1234\n');
    expect(renderEmail('password-changed', 'en', data, { url: 'https://x.test', email: 'a@x.test' }).text).toContain('Need help? Contact support: a@x.test · https://x.test\n');
  });

  it('escapes every value in the HTML and links nothing that is not an address or a web link', () => {
    const evil = {
      email: '"><script>alert(1)</script>@x.test',
      phone: '<img src=x onerror=alert(1)> & co',
      url: 'javascript:alert(document.cookie)',
    };
    const { html, text } = renderEmail('password-changed', 'en', data, evil);
    expect(html).not.toMatch(/<script|<img|href="javascript|href="mailto:"/i);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@x.test');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; co');
    expect(html).toContain(' · javascript:alert(document.cookie)</p>');
    // The text part is plain text: the values as they are, each on the one footer line.
    expect(text).toContain(`Need help? Contact support: ${evil.email} · ${evil.phone} · ${evil.url}\n`);
  });

  it('keeps a value with a line break on the one footer line', () => {
    const { text } = renderEmail('password-changed', 'en', data, { phone: '+49 30\r\nBcc: x@y.test' });
    expect(text).toContain('Need help? Contact support: +49 30 Bcc: x@y.test\n');
  });

  it.each([undefined, {}, { email: '', phone: '', url: '' }])('is left out when there is no contact (%p)', (none) => {
    for (const locale of LOCALES) {
      const plain = renderEmail('password-changed', locale, data);
      const rendered = renderEmail('password-changed', locale, data, none);
      expect(rendered).toEqual(plain);
      expect(rendered.text).not.toContain(HELP[locale]);
      expect(rendered.html).not.toContain(HELP[locale]);
    }
  });

  it.each(EMAIL_TEMPLATES)('closes %s in every locale', (template) => {
    for (const locale of LOCALES) {
      const { text, html } = renderEmail(template, locale, SAMPLES[template], desk);
      expect(text).toContain(HELP[locale]);
      expect(html).toContain(HELP[locale]);
    }
  });
});

describe('the outbox record', () => {
  const to = { email: 'jane@example.com', locale: 'en' as const, name: 'Jane Doe' };

  it('names the account its email belongs to when given', () => {
    expect(outboxEmail('password-changed', to, { at: '2027-01-05T15:04:00.000Z' }, { accountId: 'acc_1' }).accountId).toBe('acc_1');
  });

  it('names none otherwise', () => {
    expect(outboxEmail('password-changed', to, { at: '2027-01-05T15:04:00.000Z' })).not.toHaveProperty('accountId');
    expect(outboxEmail('password-changed', to, { at: '2027-01-05T15:04:00.000Z' }, { accountId: undefined })).not.toHaveProperty('accountId');
  });
});
