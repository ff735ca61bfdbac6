/**
 * The reliability tests run short in `npm test` and long in `npm run test:stress` (STRESS=true):
 * each picks its size with `scaled(short, long)`.
 */
export const STRESS = process.env.STRESS === 'true';

export const scaled = (short: number, long: number): number => (STRESS ? long : short);

/** A per-test timeout that grows with the stress size. */
export const timeoutFor = (shortMs: number, longMs: number): number => (STRESS ? longMs : shortMs);
