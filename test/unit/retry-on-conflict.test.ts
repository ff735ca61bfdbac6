import { TransientError } from '#platform/errors.ts';
import { ensureCommittedNamed, RETRY, retryOnConflict } from '#data/tx.ts';

/** The one retry loop of the repositories (data/tx.ts), and transactions read by item name. */
const fast = { baseMs: 1, capMs: 2 };
const conditionalFailure = () => Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('retryOnConflict', () => {
  it('answers the first attempt that does not ask for a retry', async () => {
    const seen: number[] = [];
    const result = await retryOnConflict(async (n) => {
      seen.push(n);
      return n < 2 ? RETRY : 'written';
    }, fast);
    expect(result).toBe('written');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('runs again after a conditional failure or a transaction conflict', async () => {
    const failures = [conditionalFailure(), new TransientError('conflict')];
    const result = await retryOnConflict(async () => {
      const next = failures.shift();
      if (next) throw next;
      return 7;
    }, fast);
    expect(result).toBe(7);
    expect(failures).toHaveLength(0);
  });

  it('lets any other error through at once', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw new Error('validation');
      }, fast),
    ).rejects.toThrow('validation');
    expect(calls).toBe(1);
  });

  it('gives up after its tries with the error it was given, or a TransientError', async () => {
    let calls = 0;
    const always = async () => {
      calls++;
      return RETRY;
    };
    await expect(retryOnConflict(always, { ...fast, tries: 3 })).rejects.toBeInstanceOf(TransientError);
    expect(calls).toBe(3);
    await expect(retryOnConflict(always, { ...fast, tries: 2, exhausted: () => new Error('seats_exhausted') })).rejects.toThrow('seats_exhausted');
  });
});

describe('ensureCommittedNamed', () => {
  const refused = (index: number) => ({
    canceled: true,
    data: [0, 1, 2].map((i) => (i === index ? { rejected: true, code: 'ConditionalCheckFailed' } : { rejected: false, code: 'None' })),
  });

  it('names the item whose condition failed', () => {
    expect(() => ensureCommittedNamed(refused(1), ['order', 'subscription', 'invoice'], (name) => new Error(`refused: ${name}`))).toThrow('refused: subscription');
  });

  it('passes a committed transaction', () => {
    expect(() => ensureCommittedNamed({ canceled: false, data: [] }, ['order'], () => new Error('no'))).not.toThrow();
  });

  it('says so when the names do not cover the transaction', () => {
    expect(() => ensureCommittedNamed(refused(2), ['order', 'subscription'], () => new Error('no'))).toThrow(/item 2/);
  });
});
