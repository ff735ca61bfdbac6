import { createHmac } from 'node:crypto';
import {
  afterFailure,
  AWS_POLICY,
  addressAllowed,
  isBlockedAddress,
  isDelivered,
  newWebhookSecret,
  retryDelayMs,
  RETRY_WINDOW_MS,
  signatureHeader,
  urlRefusal,
  v6Bytes,
} from '../../functions/domain/webhooks.ts';
import { checkUrl } from '../../functions/services/webhooks.ts';

/** The rules of webhooks without I/O (functions/domain/webhooks.ts): SSRF, https, signature, backoff. */
describe('webhook addresses (SSRF)', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.20', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.169.254', 'instance metadata (link-local)'],
    ['169.254.0.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone'],
    ['fd00::1', 'unique-local fd00::/8'],
    ['fd00:ec2::254', 'the IPv6 instance metadata address'],
    ['fc00::1', 'unique-local fc00::/7'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata in hex'],
    ['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['2001:db8::1', 'documentation'],
    ['not-an-ip', 'not an address at all'],
  ])('refuses %s (%s) in AWS', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
    expect(addressAllowed(address, AWS_POLICY)).toBe(false);
    expect(addressAllowed(address, { allowPrivateNetworks: true })).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '169.253.255.255', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
      expect(addressAllowed(address, AWS_POLICY)).toBe(true);
    },
  );

  it('reads IPv6 addresses whole: :: anywhere, a dotted IPv4 tail', () => {
    expect(v6Bytes('::1')).toEqual([...Array<number>(15).fill(0), 1]);
    expect(v6Bytes('fd00:ec2::254').slice(0, 4)).toEqual([0xfd, 0x00, 0x0e, 0xc2]);
    expect(v6Bytes('fd00:ec2::254').slice(14)).toEqual([0x02, 0x54]);
    expect(v6Bytes('::ffff:169.254.169.254').slice(10)).toEqual([0xff, 0xff, 169, 254, 169, 254]);
    expect(v6Bytes('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
  });
});

describe('webhook URLs', () => {
  it('requires https with the AWS configuration and allows http only where configured', () => {
    expect(urlRefusal('http://erp.example.com/hooks', AWS_POLICY)).toBe('https_required');
    expect(urlRefusal('https://erp.example.com/hooks', AWS_POLICY)).toBeUndefined();
    expect(urlRefusal('http://erp.example.com/hooks', { allowHttp: true, allowPrivateNetworks: false })).toBeUndefined();
  });

  it('refuses what is no http(s) URL, and credentials in it', () => {
    for (const url of ['ftp://erp.example.com/', 'file:///etc/passwd', 'erp.example.com/hooks', 'javascript:alert(1)', '']) {
      expect(urlRefusal(url, { allowHttp: true, allowPrivateNetworks: true })).toBe('invalid_url');
    }
    expect(urlRefusal('https://user:secret@erp.example.com/', AWS_POLICY)).toBe('credentials_in_url');
  });

  it('refuses literal private addresses and local names before any lookup, unless private networks are allowed', () => {
    for (const url of ['https://127.0.0.1/', 'https://[::1]/', 'https://169.254.169.254/latest/meta-data', 'https://[fd00:ec2::254]/', 'https://localhost:8443/', 'https://db.internal/', 'https://printer.local/']) {
      expect(urlRefusal(url, AWS_POLICY)).toBe('private_address');
      expect(urlRefusal(url, { allowHttp: false, allowPrivateNetworks: true })).toBeUndefined();
    }
  });

  it('refuses at registration a name that resolves to a private address (any of its addresses), or to none', async () => {
    const resolving = (addresses: string[]) => async () => addresses;
    await expect(checkUrl('https://erp.example.com/hooks', AWS_POLICY, resolving(['93.184.215.14']))).resolves.toBeUndefined();
    for (const addresses of [['10.0.0.5'], ['93.184.215.14', '169.254.169.254'], ['fd00::7']]) {
      await expect(checkUrl('https://rebind.example.com/hooks', AWS_POLICY, resolving(addresses))).rejects.toMatchObject({
        status: 400,
        details: [{ in: 'body', path: 'url', code: 'private_address' }],
      });
    }
    await expect(checkUrl('https://nowhere.example.com/', AWS_POLICY, resolving([]))).rejects.toMatchObject({ details: [{ path: 'url', code: 'unresolvable_host' }] });
    await expect(checkUrl('http://erp.example.com/', AWS_POLICY, resolving(['93.184.215.14']))).rejects.toMatchObject({ details: [{ path: 'url', code: 'https_required' }] });
    // Locally nothing is looked up: private networks are allowed.
    const lookups: string[] = [];
    await checkUrl('http://127.0.0.1:4000/hooks', { allowHttp: true, allowPrivateNetworks: true }, async (h) => (lookups.push(h), []));
    expect(lookups).toEqual([]);
  });
});

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 of the secret, as t=…,v1=<hex>', () => {
    const secret = 'whsec_test';
    const body = '{"id":"ev_1","type":"order.status_changed"}';
    const header = signatureHeader(secret, body, 1_790_000_000);
    const expected = createHmac('sha256', secret).update(`1790000000.${body}`).digest('hex');
    expect(header).toBe(`t=1790000000,v1=${expected}`);
    expect(signatureHeader(secret, `${body} `, 1_790_000_000)).not.toBe(header);
    expect(signatureHeader(secret, body, 1_790_000_001)).not.toBe(header);
    expect(signatureHeader('whsec_other', body, 1_790_000_000)).not.toBe(header);
  });

  it('makes a new random secret per endpoint', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('webhook retries', () => {
  it('waits 30 s after the first failure, twice as long after each next, at most an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30].map((n) => retryDelayMs(n) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]);
  });

  it('retries for 24 h from the first failure, the last try on the window\'s end, then gives up', () => {
    const first = new Date('2027-03-01T10:00:00Z');
    expect(afterFailure(first, 1, first)).toEqual({ giveUp: false, nextAttemptAt: new Date('2027-03-01T10:00:30Z') });
    const late = new Date(first.getTime() + RETRY_WINDOW_MS - 10 * 60_000);
    expect(afterFailure(first, 30, late)).toEqual({ giveUp: false, nextAttemptAt: new Date(first.getTime() + RETRY_WINDOW_MS) });
    expect(afterFailure(first, 31, new Date(first.getTime() + RETRY_WINDOW_MS))).toEqual({ giveUp: true });
    expect(afterFailure(first, 2, new Date(first.getTime() + 2 * RETRY_WINDOW_MS))).toEqual({ giveUp: true });
  });

  it('counts a 2xx answer as delivered, anything else (or no answer) as a failure', () => {
    expect([200, 201, 204, 299].every(isDelivered)).toBe(true);
    expect([undefined, 0, 199, 301, 400, 410, 500, 503].some(isDelivered)).toBe(false);
  });

  it('keeps trying about 30 times over the 24 h of an outage', () => {
    const first = new Date('2027-03-01T10:00:00Z');
    let now = first;
    let tries = 1;
    for (;;) {
      const next = afterFailure(first, tries, now);
      if (next.giveUp) break;
      now = next.nextAttemptAt;
      tries += 1;
    }
    expect(now.getTime() - first.getTime()).toBe(RETRY_WINDOW_MS);
    expect(tries).toBeGreaterThan(25);
    expect(tries).toBeLessThan(35);
  });
});
