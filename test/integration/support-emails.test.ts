import { call, login, staffLogin, unique, waitForEmail } from './api.ts';
import { makeCustomerBody } from '../factories/index.ts';

/**
 * The support contact in the emails (docs/product.md#emails, docs/product.md#accounts-and-tenancy),
 * over HTTP and the SES emulator: an email to a customer's people closes with the contact its users
 * see — the reseller's while the customer has none of its own, the customer's once it sets one —
 * in the recipient's language, in the text part and, escaped and linked, in the HTML part.
 */
type Email = Awaited<ReturnType<typeof waitForEmail>>[number];

const PASSWORD = 'Support-Emails-Pass-1';
const to = (address: string) => (e: Email) => e.destination.to.includes(address);

async function created(token: string, body: Record<string, unknown>) {
  const r = await call('POST', '/v1/accounts', { token, body });
  if (r.status !== 201) throw new Error(`create account: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { account: { id: string }; admin: { id: string } };
}

async function setSupport(token: string, accountId: string, support: Record<string, string> | null) {
  const r = await call('PATCH', `/v1/accounts/${accountId}`, { token, body: { support } });
  if (r.status !== 200) throw new Error(`set support: ${r.status} ${JSON.stringify(r.body)}`);
}

async function invite(token: string, accountId: string, locale: 'en' | 'es' | 'de'): Promise<Email> {
  const address = `${unique('sam')}@support-emails.test`;
  const r = await call('POST', `/v1/accounts/${accountId}/users`, {
    token,
    body: { users: [{ firstName: 'Sam', lastName: 'Support', login: address, role: 'user', locale }], sendActivationEmail: true },
  });
  if (r.status !== 201) throw new Error(`add user: ${r.status} ${JSON.stringify(r.body)}`);
  const [email] = await waitForEmail(to(address));
  return email!;
}

describe('the support contact in the emails', () => {
  let staff: string;
  beforeAll(async () => {
    staff = await staffLogin();
  });

  it("closes a customer's emails with its reseller's contact, then with the customer's own once it has one", async () => {
    const resellerBody = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` }, { password: PASSWORD });
    const reseller = await created(staff, resellerBody);
    const resellerAdmin = await login(resellerBody.admin.login as string, PASSWORD);
    const desk = { email: 'help@reseller-support.test', phone: '+34 910 000 000', url: 'https://help.reseller-support.test/portal?from=mail&lang=en' };
    await setSupport(resellerAdmin, reseller.account.id, desk);

    // The invitation of the new customer's first admin: the account is made with it, its contact is the reseller's.
    const customerBody = makeCustomerBody({ sendActivationEmail: true }, { password: undefined });
    const customer = await created(resellerAdmin, customerBody);
    const [invitation] = await waitForEmail(to(customerBody.admin.login as string));
    expect(invitation!.body.text).toContain(`Need help? Contact support: ${desk.email} · ${desk.phone} · ${desk.url}\n`);
    expect(invitation!.body.html).toContain(`<a href="mailto:${desk.email}"`);
    expect(invitation!.body.html).toContain('<a href="https://help.reseller-support.test/portal?from=mail&amp;lang=en"');
    expect(invitation!.body.html).toContain('+34 910 000 000');
    expect(invitation!.body.html).not.toContain('from=mail&lang');

    // A user the reseller adds to the customer, in German.
    const german = await invite(resellerAdmin, customer.account.id, 'de');
    expect(german.body.text).toContain(`Brauchen Sie Hilfe? Wenden Sie sich an den Support: ${desk.email} · ${desk.phone} · ${desk.url}`);
    expect(german.body.html).toContain('Brauchen Sie Hilfe? Wenden Sie sich an den Support:');

    // The customer's admin sets a contact of its own (activated first: the invitation was its only way in).
    const token = /activate\?token=([A-Za-z0-9_.-]+)/.exec(invitation!.body.text)![1]!;
    expect((await call('POST', '/v1/auth/activate', { body: { token, password: PASSWORD } })).status).toBe(200);
    const customerAdmin = await login(customerBody.admin.login as string, PASSWORD);
    const own = { email: 'it@customer-support.test', phone: '+49 30 <1234>' };
    await setSupport(customerAdmin, customer.account.id, { email: own.email });

    const english = await invite(customerAdmin, customer.account.id, 'en');
    expect(english.body.text).toContain(`Need help? Contact support: ${own.email}\n`);
    expect(english.body.text).not.toContain(desk.email);
    expect(english.body.html).toContain(`<a href="mailto:${own.email}"`);
    expect(english.body.html).not.toContain(desk.email);

    // A reset link the admin asks for (an email of the sign-in, not of the account's admins) carries it too.
    expect((await call('POST', '/v1/auth/password-reset', { body: { login: customerBody.admin.login } })).status).toBe(202);
    const [reset] = await waitForEmail((e) => to(customerBody.admin.login as string)(e) && e.body.text.includes('reset-password?token='));
    expect(reset!.body.text).toContain(`Need help? Contact support: ${own.email}\n`);

    // Removed again: the reseller's applies to the next email.
    await setSupport(resellerAdmin, customer.account.id, null);
    const again = await invite(resellerAdmin, customer.account.id, 'es');
    expect(again.body.text).toContain(`¿Necesita ayuda? Contacte con el servicio de asistencia: ${desk.email} · ${desk.phone} · ${desk.url}`);
    expect(again.body.text).not.toContain(own.email);
  });

  it("closes a customer's emails under the distributor with the distributor's contact, and the notice to a taken address with none", async () => {
    const me = await call('GET', '/v1/me', { token: staff });
    const top = (await call('GET', `/v1/accounts/${me.body.accountId}`, { token: staff })).body.support as Record<'email' | 'phone' | 'url', string | null>;
    const parts = [top.email, top.phone, top.url].filter((p): p is string => Boolean(p));
    expect(parts.length).toBeGreaterThan(0);
    const customerBody = makeCustomerBody({}, { password: PASSWORD });
    const customer = await created(staff, customerBody);
    const email = await invite(staff, customer.account.id, 'en');
    expect(email.body.text).toContain(`Need help? Contact support: ${parts.join(' · ')}\n`);

    // The notice that a new login is taken goes to that address, whose owner may be anyone: no account's contact.
    const customerAdmin = await login(customerBody.admin.login as string, PASSWORD);
    const otherBody = makeCustomerBody({}, { password: PASSWORD });
    await created(staff, otherBody);
    const taken = otherBody.admin.login as string;
    const asked = await call('PATCH', '/v1/me', { token: customerAdmin, body: { login: taken } });
    expect(asked.status).toBe(202);
    const [notice] = await waitForEmail(to(taken));
    expect(notice!.body.text).not.toContain('Need help?');
    expect(notice!.body.html).not.toContain('Need help?');
    for (const part of parts) expect(notice!.body.text).not.toContain(part);
  });
});
