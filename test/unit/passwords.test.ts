import { PASSWORD_CONCURRENCY, SCRYPT_PARAMS, Throttled, hashPassword, parseHash, verifyPassword, withPasswordSlot } from '#platform/passwords.ts';

/**
 * scrypt at N=2^17 costs about a second per hash, so the suite hashes twice and reuses the results.
 */
const PASSWORD = 'Correct-Horse-Battery-9';

let first: string;
let second: string;

beforeAll(async () => {
  [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
});

describe('password hashing (SPEC §6: scrypt N=2^17, r=8, p=1)', () => {
  it('uses the OWASP scrypt parameters', () => {
    expect(SCRYPT_PARAMS).toMatchObject({ N: 131072, r: 8, p: 1 });
    expect(SCRYPT_PARAMS.keyLength).toBeGreaterThanOrEqual(32);
  });

  it('records its parameters, a 16-byte salt and the key in the stored hash', () => {
    expect(first).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const parsed = parseHash(first);
    expect(parsed).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
    expect(parsed?.salt).toHaveLength(16);
    expect(parsed?.key).toHaveLength(SCRYPT_PARAMS.keyLength);
  });

  it('never stores the password itself', () => {
    expect(first).not.toContain(PASSWORD);
    expect(first).not.toContain(Buffer.from(PASSWORD).toString('base64'));
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

  it.each<[string, (hash: string) => string]>([
    ['an empty string', () => ''],
    ['plain text', () => PASSWORD],
    ['another scheme', (h) => h.replace(/^scrypt/, 'argon2id')],
    ['a hash with its key cut off', (h) => h.split('$').slice(0, 5).join('$')],
    ['a hash with an empty salt', (h) => h.split('$').map((part, i) => (i === 4 ? '' : part)).join('$')],
  ])('refuses any password against a malformed stored value: %s', async (_what, corrupt) => {
    const stored = corrupt(first);
    expect(parseHash(stored)).toBeUndefined();
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });

  // A key field that decodes to zero bytes would make scrypt derive an empty key and
  // timingSafeEqual(empty, empty) true: verification must fail closed.
  it.each([
    ['=', 'a key that decodes to nothing'],
    ['!!!!', 'a key that is not base64'],
  ])('refuses a wrong password against a stored hash whose key field is %p (%s)', async (key) => {
    const stored = `scrypt$16384$8$1$${Buffer.alloc(16, 7).toString('base64')}$${key}`;
    await expect(verifyPassword('any password at all', stored)).resolves.toBe(false);
  });

  it('answers false, not an exception, for a stored hash with parameters that are not numbers', async () => {
    const stored = first.replace(/^scrypt\$\d+\$/, 'scrypt$abc$');
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
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
    expect(PASSWORD_CONCURRENCY).toBeLessThan(4); // libuv's pool has 4 threads: some stay free for DNS and files
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
});
