import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { AppError } from './errors.ts';

/**
 * New hashes: argon2id at the OWASP parameters of docs/product.md#quality-bars (19 MiB, t=2, p=1), through hash-wasm (pure
 * WebAssembly: no native binary, bundles with esbuild), stored as the standard PHC string
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (unpadded base64). About 0.12 s of CPU per hash
 * against about 0.74 s for scrypt at N=2^17, so 50 initial passwords fit in one request.
 */
export const ARGON2ID_PARAMS = { memoryKiB: 19456, iterations: 2, parallelism: 1, saltLength: 16, hashLength: 32 } as const;

/**
 * Hashes stored before argon2id: scrypt at N=2^17, r=8, p=1 (`scrypt$N$r$p$<salt>$<key>`, padded
 * base64). They still verify; the stored string names its algorithm and parameters, and
 * `verifyPassword` dispatches on it.
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** 429 `throttled` (docs/product.md#api-conventions), with the seconds a client should wait (its `Retry-After`). */
export class Throttled extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests at once; try again in a moment.',
  ) {
    super(429, 'throttled', message);
  }

  override get headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/**
 * Password work is bounded per process, one hash at a time. argon2id runs as WebAssembly on the
 * calling JavaScript thread: while it hashes (about 0.12 s at one vCPU), nothing else of the process
 * runs, so two "at once" would only take turns on that thread; more slots would buy no throughput,
 * only more 19 MiB instances alive together and a queue that looks shorter than the work it holds.
 * One slot keeps the queue honest (a login's wait is about its place in line times one hash) and the
 * memory at one instance. The slot passes on through `setImmediate`, so the I/O, timers and other
 * requests of the process run between two hashes instead of waiting for a whole bulk creation.
 * (scrypt, for hashes stored before, runs on libuv's pool; it takes the same single slot.)
 * A caller that gives a `maxWaitMs` (a login) is refused with `Throttled` when the queue is already
 * long or its turn does not come in time; other callers (bulk creation, activation) wait their turn.
 */
export const PASSWORD_CONCURRENCY = 1;
const MAX_QUEUED = 6;
let running = 0;
const queue: Array<{ go: () => void }> = [];

/** Runs `work` in a password slot (exported for tests). */
export async function withPasswordSlot<T>(work: () => Promise<T>, maxWaitMs?: number): Promise<T> {
  if (running < PASSWORD_CONCURRENCY) running++;
  else {
    if (maxWaitMs !== undefined && queue.length >= MAX_QUEUED) throw new Throttled(1, 'Too many sign-ins at once; try again in a moment.');
    await new Promise<void>((resolve, reject) => {
      const entry = {
        go: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer =
        maxWaitMs === undefined
          ? undefined
          : setTimeout(() => {
              const at = queue.indexOf(entry);
              if (at >= 0) queue.splice(at, 1);
              reject(new Throttled(2, 'Too many sign-ins at once; try again in a moment.'));
            }, maxWaitMs);
      queue.push(entry);
    });
  }
  try {
    return await work();
  } finally {
    // The slot passes to the next in line after the event loop has had a turn, or is freed.
    const next = queue.shift();
    if (next) setImmediate(next.go);
    else running--;
  }
}

export interface PasswordWorkOptions {
  /** Refuse with `Throttled` rather than wait longer than this for a slot. */
  maxWaitMs?: number;
}

/** Passwords are compared in Unicode NFKC (docs/product.md#portal-users), whatever the algorithm. */
const normalized = (password: string) => Buffer.from(password.normalize('NFKC'), 'utf8');

/** Unpadded standard base64, as the PHC string format writes it. */
const phcBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');

const phcString = (salt: Uint8Array, key: Uint8Array, p: { memoryKiB: number; iterations: number; parallelism: number } = ARGON2ID_PARAMS) =>
  `$argon2id$v=19$m=${p.memoryKiB},t=${p.iterations},p=${p.parallelism}$${phcBase64(salt)}$${phcBase64(key)}`;

async function argon2idKey(password: Buffer, salt: Uint8Array, p: { memoryKiB: number; iterations: number; parallelism: number; hashLength: number }): Promise<Buffer> {
  const key = await argon2id({
    password,
    salt,
    memorySize: p.memoryKiB,
    iterations: p.iterations,
    parallelism: p.parallelism,
    hashLength: p.hashLength,
    outputType: 'binary',
  });
  return Buffer.from(key);
}

export async function hashPassword(password: string, opts: PasswordWorkOptions = {}): Promise<string> {
  const salt = randomBytes(ARGON2ID_PARAMS.saltLength);
  const key = await withPasswordSlot(() => argon2idKey(normalized(password), salt, ARGON2ID_PARAMS), opts.maxWaitMs);
  return phcString(salt, key);
}

export type ParsedHash =
  | { algorithm: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number; salt: Buffer; key: Buffer }
  | { algorithm: 'scrypt'; N: number; r: number; p: number; salt: Buffer; key: Buffer };

/** Above these a stored value is not one we wrote: refused rather than allowed to cost a function's memory or time. */
const ARGON2ID_LIMITS = { memoryKiB: 256 * 1024, iterations: 16, parallelism: 16 };
const PHC_ARGON2ID = /^\$argon2id\$v=19\$m=(\d{1,9}),t=(\d{1,9}),p=(\d{1,9})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function parseArgon2id(stored: string): ParsedHash | undefined {
  const match = PHC_ARGON2ID.exec(stored);
  if (!match) return undefined;
  const [, m, t, p, salt, key] = match as unknown as [string, string, string, string, string, string];
  const params = { memoryKiB: Number(m), iterations: Number(t), parallelism: Number(p) };
  if (params.iterations < 1 || params.iterations > ARGON2ID_LIMITS.iterations) return undefined;
  if (params.parallelism < 1 || params.parallelism > ARGON2ID_LIMITS.parallelism) return undefined;
  if (params.memoryKiB < 8 * params.parallelism || params.memoryKiB > ARGON2ID_LIMITS.memoryKiB) return undefined;
  const parsed = { algorithm: 'argon2id' as const, ...params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  // A key shorter than we ever write is corrupt or forged.
  if (parsed.key.length < ARGON2ID_PARAMS.hashLength || parsed.salt.length < ARGON2ID_PARAMS.saltLength) return undefined;
  return parsed;
}

function parseScrypt(stored: string): ParsedHash | undefined {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) return undefined;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0)) return undefined;
  const parsed = { algorithm: 'scrypt' as const, ...params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  // A key shorter than we ever write is corrupt: comparing two empty keys would accept anything.
  if (parsed.key.length < SCRYPT_PARAMS.keyLength || parsed.salt.length < 16) return undefined;
  return parsed;
}

/** The algorithm, parameters, salt and key of a stored hash; undefined for anything we did not write. */
export function parseHash(stored: string): ParsedHash | undefined {
  return stored.startsWith('$argon2id$') ? parseArgon2id(stored) : stored.startsWith('scrypt$') ? parseScrypt(stored) : undefined;
}

/**
 * True when a stored hash is not argon2id at today's parameters (a scrypt hash from before): the
 * caller may replace it with `hashPassword` of the password it has just verified.
 */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return !(
    parsed?.algorithm === 'argon2id' &&
    parsed.memoryKiB === ARGON2ID_PARAMS.memoryKiB &&
    parsed.iterations === ARGON2ID_PARAMS.iterations &&
    parsed.parallelism === ARGON2ID_PARAMS.parallelism &&
    parsed.key.length === ARGON2ID_PARAMS.hashLength
  );
}

export async function verifyPassword(password: string, stored: string, opts: PasswordWorkOptions = {}): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const input = normalized(password);
  // argon2 takes no empty password; an empty one is never right (passwords have at least 10 characters).
  if (parsed.algorithm === 'argon2id' && input.length === 0) return false;
  const key = await withPasswordSlot(
    () =>
      parsed.algorithm === 'argon2id'
        ? argon2idKey(input, parsed.salt, { ...parsed, hashLength: parsed.key.length })
        : scrypt(password.normalize('NFKC'), parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: maxmem(parsed.N, parsed.r) }),
    opts.maxWaitMs,
  );
  return timingSafeEqual(key, parsed.key);
}

/**
 * What unknown logins are verified against, so their cost matches a wrong password: an argon2id PHC
 * string at the parameters of new hashes, with a random salt and a random key that no password
 * yields (verification derives the key from the attempt and the salt, so it costs exactly what a
 * real hash costs, and building it costs nothing).
 */
const DUMMY = phcString(randomBytes(ARGON2ID_PARAMS.saltLength), randomBytes(ARGON2ID_PARAMS.hashLength));
export function dummyHash(): Promise<string> {
  return Promise.resolve(DUMMY);
}
