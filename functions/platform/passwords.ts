import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { AppError } from './errors.ts';

/**
 * scrypt at the OWASP parameters of SPEC §6 (N=2^17, r=8, p=1). The stored form carries its
 * parameters so they can be raised later without locking anyone out.
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** 429 `throttled` (SPEC §4.1), with the seconds a client should wait (its `Retry-After`). */
export class Throttled extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests at once; try again in a moment.',
  ) {
    super(429, 'throttled', message);
  }
}

/**
 * Password work is bounded per process: each scrypt takes 128 MiB and one of libuv's 4 threads,
 * which every DNS lookup and file access of the process shares. As many run at once as the process
 * has CPUs, but never fewer than 2 nor more than 3 (at most 384 MiB of the function's memory, at
 * least one thread left for the rest; the users function gets 3 vCPUs for its bulk creation, a
 * 2-core machine runs 2); others queue in order. A caller that
 * gives a `maxWaitMs` (a login) is refused with `Throttled` when the queue is already long or its
 * turn does not come in time; other callers (bulk creation, activation) wait their turn.
 */
export const PASSWORD_CONCURRENCY = Math.min(3, Math.max(2, availableParallelism()));
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
    // The slot passes straight to the next in line, or is freed.
    const next = queue.shift();
    if (next) next.go();
    else running--;
  }
}

export interface PasswordWorkOptions {
  /** Refuse with `Throttled` rather than wait longer than this for a slot. */
  maxWaitMs?: number;
}

export async function hashPassword(password: string, opts: PasswordWorkOptions = {}): Promise<string> {
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  const salt = randomBytes(16);
  const key = await withPasswordSlot(() => scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem: maxmem(N, r) }), opts.maxWaitMs);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function parseHash(stored: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | undefined {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) return undefined;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0)) return undefined;
  const parsed = { ...params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  // A key shorter than we ever write is corrupt: comparing two empty keys would accept anything.
  if (parsed.key.length < SCRYPT_PARAMS.keyLength || parsed.salt.length < 16) return undefined;
  return parsed;
}

export async function verifyPassword(password: string, stored: string, opts: PasswordWorkOptions = {}): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await withPasswordSlot(
    () =>
      scrypt(password.normalize('NFKC'), parsed.salt, parsed.key.length, {
        N: parsed.N,
        r: parsed.r,
        p: parsed.p,
        maxmem: maxmem(parsed.N, parsed.r),
      }),
    opts.maxWaitMs,
  );
  return timingSafeEqual(key, parsed.key);
}

/** A hash of nothing, verified against on unknown logins so their timing matches a wrong password. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
