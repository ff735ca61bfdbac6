import {
  ARGON2ID_PARAMS,
  PASSWORD_CONCURRENCY,
  Throttled,
  dummyHash,
  hashPassword,
  needsRehash,
  parseHash,
  verifyPassword,
  withPasswordSlot,
} from '#platform/passwords.ts';

/**
 * New hashes are argon2id at docs/product.md#quality-bars (19 MiB, t=2, p=1), about 0.1-0.5 s each here; hashes stored
 * before (scrypt N=2^17, r=8, p=1) still verify. The suite hashes twice and reuses the results.
 */
const PASSWORD = 'Correct-Horse-Battery-9';

/** Made by the scrypt code this module had before argon2id (`hashPassword('Old-Scrypt-Pass-1')`). */
const OLD_SCRYPT = 'scrypt$131072$8$1$jsq9Fb0/rjzcTTjygf4lYw==$XQlO2hE+J8JRywQoD/ICWR7C5gTZFlKpK3c2pUJxcaI=';
/** The old code's hash of 'ﬁve-Ｆｕｌｌwidth-１', which NFKC makes 'five-Fullwidth-1'. */
const OLD_SCRYPT_NFKC = 'scrypt$131072$8$1$UmouTQ5URxiGqVUZY8N/yQ==$N2z/iNqz5/HONcffqrF/GP75hXHn7LtlvhnJyHTCa2M=';

const B64 = '[A-Za-z0-9+/]';
/** The PHC string of argon2id: unpadded base64 of a 16-byte salt (22 chars) and a 32-byte hash (43 chars). */
const PHC = new RegExp(`^\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$${B64}{22}\\$${B64}{43}$`);

let first: string;
let second: string;

beforeAll(async () => {
  [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
});

describe('password hashing (docs/product.md#quality-bars: argon2id m=19 MiB, t=2, p=1)', () => {
  it('uses the OWASP argon2id parameters', () => {
    expect(ARGON2ID_PARAMS).toEqual({ memoryKiB: 19456, iterations: 2, parallelism: 1, saltLength: 16, hashLength: 32 });
  });

  it('stores a PHC string that names argon2id, its version and parameters, a 16-byte salt and a 32-byte hash', () => {
    expect(first).toMatch(PHC);
    const parsed = parseHash(first);
    expect(parsed).toMatchObject({ algorithm: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1 });
    expect(parsed?.salt).toHaveLength(16);
    expect(parsed?.key).toHaveLength(32);
  });

  it('never stores the password itself', () => {
    expect(first).not.toContain(PASSWORD);
    expect(first).not.toContain(Buffer.from(PASSWORD).toString('base64').replace(/=+$/, ''));
  });

  it('salts every hash: two hashes of one password differ', () => {
    expect(second).not.toBe(first);
    expect(parseHash(second)?.salt.equals(parseHash(first)!.salt)).toBe(false);
  });

  it('verifies the right password against both hashes', async () => {
    await expect(Promise.all([verifyPassword(PASSWORD, first), verifyPassword(PASSWORD, second)])).resolves.toEqual([true, true]);
  });

  it.each([
    ['a wrong password', 'Correct-Horse-Battery-8'],
    ['the password in another case', PASSWORD.toLowerCase()],
    ['the password with a trailing space', `${PASSWORD} `],
    ['an empty password', ''],
  ])('refuses %s', async (_what, attempt) => {
    await expect(verifyPassword(attempt, first)).resolves.toBe(false);
  });

  it('normalizes passwords to NFKC before hashing (a ligature or full-width form is the same password)', async () => {
    const stored = await hashPassword('ﬁve-Ｆｕｌｌwidth-１');
    await expect(verifyPassword('five-Fullwidth-1', stored)).resolves.toBe(true);
  });

  it.each<[string, (hash: string) => string]>([
    ['an empty string', () => ''],
    ['plain text', () => PASSWORD],
    ['another argon2 variant', (h) => h.replace(/^\$argon2id\$/, '$argon2i$')],
    ['another argon2 version', (h) => h.replace('$v=19$', '$v=16$')],
    ['a hash with its key cut off', (h) => h.split('$').slice(0, 5).join('$')],
    ['a hash with an empty key', (h) => h.replace(/\$[^$]+$/, '$')],
    ['a hash with an empty salt', (h) => h.split('$').map((part, i) => (i === 4 ? '' : part)).join('$')],
    ['a hash with a short key', (h) => h.replace(/\$[^$]+$/, '$AAAA')],
    ['parameters that are not numbers', (h) => h.replace('m=19456', 'm=abc')],
    ['an absurd memory cost', (h) => h.replace('m=19456', 'm=99999999')],
    ['a missing parameter', (h) => h.replace(',p=1', '')],
  ])('refuses any password against a malformed stored value: %s', async (_what, corrupt) => {
    const stored = corrupt(first);
    expect(parseHash(stored)).toBeUndefined();
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });
});

describe('hashes stored before argon2id (scrypt N=2^17, r=8, p=1) still verify', () => {
  it('verifies the right password against a scrypt hash made by the old code', async () => {
    expect(parseHash(OLD_SCRYPT)).toMatchObject({ algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    await expect(verifyPassword('Old-Scrypt-Pass-1', OLD_SCRYPT)).resolves.toBe(true);
  });

  it('refuses a wrong password against it', async () => {
    await expect(verifyPassword('Old-Scrypt-Pass-2', OLD_SCRYPT)).resolves.toBe(false);
  });

  it('keeps NFKC for old hashes too', async () => {
    await expect(verifyPassword('ﬁve-Ｆｕｌｌwidth-１', OLD_SCRYPT_NFKC)).resolves.toBe(true);
  });

  it('says which stored hashes are due for argon2id (to upgrade on a successful login)', () => {
    expect(needsRehash(OLD_SCRYPT)).toBe(true);
    expect(needsRehash(first)).toBe(false);
    expect(needsRehash(first.replace('t=2', 't=1'))).toBe(true);
  });

  // A key field that decodes to zero bytes would make scrypt derive an empty key and
  // timingSafeEqual(empty, empty) true: verification must fail closed.
  it.each([
    ['=', 'a key that decodes to nothing'],
    ['!!!!', 'a key that is not base64'],
  ])('refuses a wrong password against a stored scrypt hash whose key field is %p (%s)', async (key) => {
    const stored = `scrypt$16384$8$1$${Buffer.alloc(16, 7).toString('base64')}$${key}`;
    await expect(verifyPassword('any password at all', stored)).resolves.toBe(false);
  });

  it('answers false, not an exception, for a stored scrypt hash with parameters that are not numbers', async () => {
    const stored = OLD_SCRYPT.replace(/^scrypt\$\d+\$/, 'scrypt$abc$');
    expect(parseHash(stored)).toBeUndefined();
    await expect(verifyPassword('Old-Scrypt-Pass-1', stored)).resolves.toBe(false);
  });
});

describe('the dummy hash of unknown logins', () => {
  it('is argon2id at the parameters of new hashes, so an unknown login costs what a wrong password costs', async () => {
    const dummy = await dummyHash();
    expect(dummy).toMatch(PHC);
    expect(parseHash(dummy)).toMatchObject({ algorithm: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1 });
    await expect(verifyPassword(PASSWORD, dummy)).resolves.toBe(false);
  });
});

describe('password work is bounded per process (issue 13, item 15)', () => {
  /** Work that ends when the test says so, counting how many run at once. */
  function gate() {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    return { done, release };
  }

  it('runs at most PASSWORD_CONCURRENCY pieces of work at once, the others in order, whoever waits', async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 6 }, gate);
    const all = gates.map((g, i) =>
      withPasswordSlot(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await g.done;
        running--;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(PASSWORD_CONCURRENCY);
    for (const g of gates) g.release();
    await Promise.all(all);
    expect(most).toBe(PASSWORD_CONCURRENCY);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    // argon2id runs as WebAssembly on the calling thread: one at a time per process is all it can do.
    expect(PASSWORD_CONCURRENCY).toBe(1);
  });

  it('refuses a caller that will not wait (a login) with 429 throttled and a Retry-After once the queue is long, and frees the slots after', async () => {
    const busy = Array.from({ length: PASSWORD_CONCURRENCY + 6 }, gate);
    const holding = busy.map((g) => withPasswordSlot(() => g.done));
    const refused = await withPasswordSlot(async () => 'ran', 10_000).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Throttled);
    expect(refused).toMatchObject({ status: 429, code: 'throttled' });
    expect((refused as Throttled).retryAfterSeconds).toBeGreaterThan(0);
    // A caller with a deadline that passes in the queue is refused too.
    busy.slice(0, 1).forEach((g) => g.release());
    await holding[0];
    const late = await withPasswordSlot(async () => 'ran', 20).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(Throttled);
    for (const g of busy) g.release();
    await Promise.all(holding);
    await expect(withPasswordSlot(async () => 'ran', 10)).resolves.toBe('ran');
  });

  it('lets other callbacks of the process run between hashes (WebAssembly blocks the thread while it hashes)', async () => {
    const events: string[] = [];
    const hashes = [0, 1, 2].map((i) => hashPassword(`${PASSWORD}-${i}`).then(() => events.push(`hash ${i}`)));
    const timer = new Promise<void>((r) => setTimeout(() => r(), 0)).then(() => events.push('timer'));
    await Promise.all([...hashes, timer]);
    expect(events.indexOf('timer')).toBeLessThan(events.indexOf('hash 2'));
  });
});
