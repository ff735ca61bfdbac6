import { LOCALES, renderEmail } from '#emails/index.ts';
import { ROUTES, routeKey } from '../../functions/registry.ts';
import { openCursor, sealCursor } from '#platform/cursors.ts';
import { CONTROL_CHARACTERS } from '#platform/text.ts';
import { gatewayError, GatewayRefusal } from '../../local/gateway.ts';

/** Input at the edges: email subjects from old data, the route table's permissions, sealed cursors. */

describe('emails: a Subject never carries a line break, whatever the data holds', () => {
  const invitation = (partnerName: string) => ({
    recipientName: 'Ada\r\nAdmin',
    domain: 'contoso.onmicrosoft.com',
    partnerName,
    accountName: 'Contoso',
    acceptUrl: 'https://portal.example.com/domains/dom_1/accept',
  });

  it.each(LOCALES)('folds CR/LF, NUL, C1 controls and bidi overrides out of the %s subject', (locale) => {
    const { subject } = renderEmail('partner-invitation', locale, invitation('Evil Reseller\r\nBcc: victim@example.com\u0000\u0085\u202E'));
    expect(subject).not.toMatch(CONTROL_CHARACTERS);
    expect(subject).toContain('Evil Reseller Bcc: victim@example.com');
  });

  it('leaves an ordinary subject as it was', () => {
    const { subject } = renderEmail('partner-invitation', 'en', invitation('Northwind Reseller'));
    expect(subject).toBe('Action required: accept the partner relationship with Northwind Reseller for contoso.onmicrosoft.com');
  });
});

describe('the route table names who may use each route', () => {
  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s has a permission: public exactly when it has no authorizer', (_key, route) => {
    expect(route.permission).toBeDefined();
    expect(route.permission === 'public').toBe(!route.auth);
  });
});

describe('cursors are sealed (AES-256-GCM) and bound to where they were issued', () => {
  const key = Buffer.alloc(32, 7);
  const plain = Buffer.from(JSON.stringify({ pk: '$clp#subscription_sub_01J0000000000000000000SECRET', sk: 'acc_01J0000000000000000000OTHER' })).toString('base64url');

  it('opens what it sealed, with the same binding', () => {
    const sealed = sealCursor(key, plain, 'GET /v1/subscriptions|usr_1');
    expect(openCursor(key, sealed, 'GET /v1/subscriptions|usr_1')).toBe(plain);
  });

  it('shows nothing of what it carries, in plain text or in base64', () => {
    const sealed = sealCursor(key, plain, 'b');
    for (const view of [sealed, Buffer.from(sealed, 'base64').toString('latin1'), Buffer.from(sealed, 'base64url').toString('latin1')]) {
      expect(view).not.toMatch(/sub_|acc_|SECRET|subscription/);
    }
    expect(sealed).not.toContain(plain.slice(0, 12));
    expect(sealCursor(key, plain, 'b')).not.toBe(sealed);
  });

  it('refuses a cursor bound elsewhere, a tampered one, one sealed with another key, and garbage', () => {
    const sealed = sealCursor(key, plain, 'GET /v1/orders|usr_1');
    expect(openCursor(key, sealed, 'GET /v1/orders|usr_2')).toBeUndefined();
    expect(openCursor(key, sealed, 'GET /v1/invoices|usr_1')).toBeUndefined();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[bytes.length - 20]! ^= 1;
    expect(openCursor(key, bytes.toString('base64url'), 'GET /v1/orders|usr_1')).toBeUndefined();
    expect(openCursor(Buffer.alloc(32, 8), sealed, 'GET /v1/orders|usr_1')).toBeUndefined();
    for (const junk of ['', 'x', 'not-a-cursor', 'MTIz', plain]) expect(openCursor(key, junk, 'GET /v1/orders|usr_1')).toBeUndefined();
  });
});

describe('the local gateway answers its own failures in the API error shape', () => {
  it('a handler past its timeout: 503 try_again, never API Gateway\'s {"message"}', () => {
    const timedOut = Object.assign(new Error('Task timed out after 10 seconds'), { name: 'Sandbox.Timedout' });
    expect(gatewayError(timedOut, 'req-1')).toEqual({ status: 503, body: { error: { code: 'try_again', message: expect.any(String) } }, headers: { 'retry-after': '1' } });
  });

  it('anything else: 500 internal_error with the request id, nothing of the error', () => {
    const answer = gatewayError(new Error('ECONNREFUSED 127.0.0.1:8000 at /local/lambda.ts:70'), 'req-2');
    expect(answer).toEqual({ status: 500, body: { error: { code: 'internal_error', message: expect.stringContaining('req-2') } } });
    expect(JSON.stringify(answer)).not.toMatch(/ECONNREFUSED|lambda\.ts/);
  });

  it('its own refusals keep their status and code', () => {
    expect(gatewayError(new GatewayRefusal(413, 'payload_too_large', 'too big'), 'r')).toEqual({ status: 413, body: { error: { code: 'payload_too_large', message: 'too big' } } });
  });
});
