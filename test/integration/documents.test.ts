import { extractText, getDocumentProxy } from 'unpdf';
import { call, login, stack, staffLogin, unique } from './api.ts';
import { createCustomer, createProduct, makeCustomerBody, makeOrderBody, nce } from '../factories/index.ts';

/**
 * Invoices as documents through HTTP (docs/commerce.md "Documents"): the PDF of an invoice in its
 * buyer's language, read back as text, and the CSV export of invoice lines, whose rows add up to the
 * invoices' totals; both in the scope of the invoice routes.
 */
let staff: string;
let distributorName: string;
let german: { accountId: string; name: string; admin: string; invoiceId: string; number: string; issuedOn: string; total: number };
let english: { accountId: string; admin: string; invoiceId: string; number: string };
let reseller: string;
/** A customer in Spain with a VAT id, of a reseller in Germany with a tax profile: its invoice is reverse-charged. */
let spanish: { admin: string; invoiceId: string; number: string; resellerId: string; resellerLegalName: string };

/** A raw GET: the body as bytes (a PDF), with the headers. */
async function download(path: string, token?: string) {
  const res = await fetch(`${stack().baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const pdfText = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(bytes), { mergePages: true })).text.replace(/\s+/g, ' ');

/** A CSV's bytes as rows of fields (RFC 4180), after its UTF-8 byte order mark (which fetch's text() would hide). */
function csvRows(bytes: Uint8Array): string[][] {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted && c === '"' && body[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

/** A staff order of `quantity` licenses of `offerId` for an account; answers its invoice. */
async function orderFor(accountId: string, offerId: string, quantity: number) {
  const placed = await call('POST', `/v1/accounts/${accountId}/orders`, { token: staff, body: makeOrderBody(offerId, { lines: [{ offerId, quantity }] }), headers: { 'idempotency-key': unique('docs') } });
  expect(placed.status).toBe(201);
  const invoice = await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: staff });
  expect(invoice.status).toBe(200);
  return invoice.body as { id: string; number: string; issuedAt: string; total: { amount: number }; lines: Array<{ description: string; quantity: number; amount: { amount: number } }> };
}

beforeAll(async () => {
  staff = await staffLogin();
  const me = await call('GET', '/v1/me', { token: staff });
  distributorName = (await call('GET', `/v1/accounts/${me.body.accountId}`, { token: staff })).body.name;
  // A product of its own at 1.234,56 € a license and month: thousands separators in every language.
  const product = await createProduct(staff, { name: `Büro-Lizenz Größe ${unique('doc')}`, offers: nce(123456) });
  const offerId = product.offers.find((o) => o.term === 'P1Y' && o.billingPeriod === 'monthly')!.id;

  const name = `Müller & Söhne ${unique('de')}`;
  const de = await createCustomer(staff, { name, settings: { locale: 'de' } }, { locale: 'de' });
  const deInvoice = await orderFor(de.account.id, offerId, 3);
  german = { accountId: de.account.id, name, admin: await login(de.login, de.password), invoiceId: deInvoice.id, number: deInvoice.number, issuedOn: deInvoice.issuedAt.slice(0, 10), total: deInvoice.total.amount };

  const en = await createCustomer(staff);
  const enInvoice = await orderFor(en.account.id, offerId, 1);
  english = { accountId: en.account.id, admin: await login(en.login, en.password), invoiceId: enInvoice.id, number: enInvoice.number };

  const resellerBody = makeCustomerBody({ type: 'reseller', name: `Reseller ${unique('r')}` });
  const created = await call('POST', '/v1/accounts', { token: staff, body: resellerBody });
  expect(created.status).toBe(201);
  reseller = await login(resellerBody.admin.login, resellerBody.admin.password);

  // The reseller sells (at the catalog price: it keeps no list) to a Spanish business: reverse charge.
  const resellerLegalName = `Händler ${unique('gmbh')} GmbH`;
  const sellerProfile = { legalName: resellerLegalName, country: 'DE', vatId: 'DE123456789', address: { line1: 'Hafenstraße 7', city: 'Hamburg', postalCode: '20457', country: 'DE' } };
  expect((await call('PUT', `/v1/accounts/${created.body.account.id}/tax-profile`, { token: reseller, body: sellerProfile })).status).toBe(200);
  const es = await createCustomer(reseller, { name: `Cliente ${unique('es')}`, settings: { locale: 'es' } }, { locale: 'es' });
  const esAdmin = await login(es.login, es.password);
  const buyerProfile = { legalName: 'Construcciones Núñez S.L.', country: 'ES', vatId: 'ESB12345678', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' } };
  expect((await call('PUT', `/v1/accounts/${es.account.id}/tax-profile`, { token: esAdmin, body: buyerProfile })).status).toBe(200);
  const placed = await call('POST', `/v1/accounts/${es.account.id}/orders`, { token: reseller, body: makeOrderBody(offerId, { lines: [{ offerId, quantity: 2 }] }), headers: { 'idempotency-key': unique('docs') } });
  expect(placed.status).toBe(201);
  const esInvoice = await call('GET', `/v1/invoices/${placed.body.invoiceId}`, { token: esAdmin });
  spanish = { admin: esAdmin, invoiceId: esInvoice.body.id, number: esInvoice.body.number, resellerId: created.body.account.id, resellerLegalName };
}, 180_000);

describe('GET /v1/invoices/{invoiceId}/pdf', () => {
  it('answers the invoice as a PDF attachment in the buyer’s language (de): number, parties, lines and total', async () => {
    const r = await download(`/v1/invoices/${german.invoiceId}/pdf`, german.admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${german.number}.pdf"`);
    expect(r.headers.get('cache-control')).toBe('private, no-store');
    // Bytes, not base64: the gateway decoded the Lambda's isBase64Encoded body.
    expect(Buffer.from(r.bytes.slice(0, 5)).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(r.bytes);
    for (const s of ['Rechnung', german.number, 'Rechnungssteller', distributorName, 'Rechnungsempfänger', german.name, '1 Test Street', '10115 Berlin', 'Deutschland', 'Beschreibung', 'Menge', 'Einzelpreis', 'Nettobetrag', 'Büro-Lizenz Größe', '1.234,56 €', '3.703,68 €', 'Gesamtbetrag', 'Fällig am', 'Seite 1 von 1']) {
      expect(text).toContain(s);
    }
    // An untaxed invoice (the distributor has no tax profile here) says nothing about tax.
    expect(text).not.toMatch(/USt\.|Nettosumme/);
  });

  it('in English for an English-speaking buyer; staff above get the same document', async () => {
    const text = await pdfText((await download(`/v1/invoices/${english.invoiceId}/pdf`, staff)).bytes);
    for (const s of ['Invoice', english.number, 'Bill to', 'Description', 'Unit price', '€1,234.56', 'Total', 'Page 1 of 1']) expect(text).toContain(s);
  });

  it('a taxed invoice in Spanish: the reseller that issued it with its VAT id, the buyer’s, the net, the VAT and the reverse-charge mention', async () => {
    const r = await download(`/v1/invoices/${spanish.invoiceId}/pdf`, spanish.admin);
    expect(r.status).toBe(200);
    const text = await pdfText(r.bytes);
    for (const s of ['Factura', spanish.number, 'Emisor', spanish.resellerLegalName, 'Hafenstraße 7', 'Alemania', 'NIF-IVA: DE123456789', 'Destinatario', 'Construcciones Núñez S.L.', 'Calle Mayor 1', '28013 Madrid', 'España', 'NIF-IVA: ESB12345678', 'Descripción', 'Precio unitario', '1.234,56 €', '2.469,12 €', 'Base imponible', 'Inversión del sujeto pasivo', 'art. 196 de la Directiva 2006/112/CE', 'Página 1 de 1']) {
      expect(text).toContain(s);
    }
  });

  it('another tree’s invoice is 404, as GET /v1/invoices/{invoiceId}; without a token 401; not an id 400', async () => {
    for (const token of [english.admin, reseller]) {
      const r = await call('GET', `/v1/invoices/${german.invoiceId}/pdf`, { token });
      expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 404, code: 'not_found' });
      expect((await call('GET', `/v1/invoices/${german.invoiceId}`, { token })).status).toBe(404);
    }
    const anonymous = await call('GET', `/v1/invoices/${german.invoiceId}/pdf`);
    expect({ status: anonymous.status, code: anonymous.body?.error?.code }).toEqual({ status: 401, code: 'unauthenticated' });
    const unknown = await call('GET', '/v1/invoices/inv_01JD0000000000000000000000/pdf', { token: staff });
    expect(unknown.status).toBe(404);
    const bad = await call('GET', '/v1/invoices/not-an-id/pdf', { token: staff });
    expect({ status: bad.status, code: bad.body?.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
  });
});

describe('GET /v1/billing/exports', () => {
  const range = () => `from=${german.issuedOn}&to=${german.issuedOn}`;

  it('the customer: its invoice lines as CSV, no margin columns, the rows adding up to its invoices’ totals', async () => {
    const r = await download(`/v1/billing/exports?${range()}&format=csv`, german.admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="invoice-lines_${german.issuedOn}_${german.issuedOn}.csv"`);
    const [header, ...rows] = csvRows(r.bytes);
    expect(header).toEqual(['Invoice number', 'Kind', 'Issue date', 'Seller id', 'Seller', 'Buyer id', 'Buyer', 'Description', 'Quantity', 'Unit price (net)', 'Net amount', 'VAT rate %', 'Currency']);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.length === 13 && row[5] === german.accountId)).toBe(true);
    const mine = rows.filter((row) => row[0] === german.number);
    expect(mine.map((row) => row.slice(4, 13))).toEqual([[distributorName, german.accountId, german.name, expect.stringContaining('Büro-Lizenz Größe'), '3', '1234.56', '3703.68', '', 'EUR']]);
    // Each invoice's rows add up to its total (read through GET /v1/invoices/{id}).
    const list = await call('GET', `/v1/invoices?from=${german.issuedOn}&to=${german.issuedOn}&limit=100`, { token: german.admin });
    const totals = Object.fromEntries((list.body.items as Array<{ number: string; total: { amount: number } }>).map((i) => [i.number, i.total.amount]));
    for (const number of new Set(rows.map((row) => row[0]!))) expect([number, cents(rows.filter((row) => row[0] === number))]).toEqual([number, totals[number]]);
    expect(cents(mine)).toBe(german.total);
  });

  it('staff: the margin columns too; one account of their scope with accountId', async () => {
    const r = await download(`/v1/billing/exports?${range()}&accountId=${german.accountId}`, staff);
    expect(r.status).toBe(200);
    const [header, ...rows] = csvRows(r.bytes);
    expect(header!.slice(13)).toEqual(['Cost', 'Reseller price', 'Sell', 'Margin', 'Reseller margin']);
    expect(rows.map((row) => row[0])).toContain(german.number);
    expect(rows.every((row) => row.length === 18 && row[5] === german.accountId)).toBe(true);
    // Staff without accountId: their whole scope, both customers.
    const all = csvRows((await download(`/v1/billing/exports?${range()}`, staff)).bytes);
    expect(all.map((row) => row[0])).toEqual(expect.arrayContaining([german.number, english.number]));
    // A reseller: its customers' lines, the margin columns, the reverse charge's 0 % rate.
    const resold = csvRows((await download(`/v1/billing/exports?${range()}`, reseller)).bytes);
    expect(resold[0]).toHaveLength(18);
    // Numbers are gapless per seller: the reseller's first invoice may share its number with the distributor's.
    const line = resold.find((row) => row[0] === spanish.number && row[3] === spanish.resellerId)!;
    expect(line.slice(8, 13)).toEqual(['2', '1234.56', '2469.12', '0', 'EUR']);
    expect(resold.map((row) => row[5])).not.toContain(german.accountId);
  });

  it('refuses bad ranges and formats with 400 validation_failed', async () => {
    const day = german.issuedOn;
    for (const query of [
      `to=${day}`,
      `from=${day}`,
      `from=2026-13-01&to=${day}`,
      'from=2027-02-01&to=2027-01-31',
      'from=2026-01-01&to=2027-01-02',
      `from=${day}&to=${day}&format=xlsx`,
      `from=${day}&to=${day}&bogus=1`,
    ]) {
      const r = await call('GET', `/v1/billing/exports?${query}`, { token: staff });
      expect([query, r.status, r.body?.error?.code]).toEqual([query, 400, 'validation_failed']);
    }
    // 366 days, both ends included, is the longest range.
    expect((await call('GET', '/v1/billing/exports?from=2027-01-01&to=2028-01-01', { token: english.admin })).status).toBe(200);
  });

  it('another tree’s account is 404; without a token 401; a plain customer user 403 (both routes)', async () => {
    const other = await call('GET', `/v1/billing/exports?${range()}&accountId=${german.accountId}`, { token: english.admin });
    expect({ status: other.status, code: other.body?.error?.code }).toEqual({ status: 404, code: 'not_found' });
    const anonymous = await call('GET', `/v1/billing/exports?${range()}`);
    expect({ status: anonymous.status, code: anonymous.body?.error?.code }).toEqual({ status: 401, code: 'unauthenticated' });
    const userLogin = `${unique('plain')}@documents.test`;
    const added = await call('POST', `/v1/accounts/${german.accountId}/users`, {
      token: german.admin,
      body: { users: [{ firstName: 'Pat', lastName: 'Plain', login: userLogin, role: 'user', password: 'Plain-User-Pass-1' }], sendActivationEmail: false },
    });
    expect(added.status).toBe(201);
    const user = await login(userLogin, 'Plain-User-Pass-1');
    expect((await call('GET', `/v1/billing/exports?${range()}`, { token: user })).status).toBe(403);
    expect((await call('GET', `/v1/invoices/${german.invoiceId}/pdf`, { token: user })).status).toBe(403);
  });
});

const cents = (rows: string[][]) => rows.reduce((n, row) => n + Math.round(Number(row[10]) * 100), 0);
