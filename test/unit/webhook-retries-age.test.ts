import { oldestPendingAgeSeconds } from '../../functions/jobs/webhook-retries.ts';

/**
 * OldestPendingWebhookAgeSeconds (the WebhookRetriesAge alarm's metric, emitted by every run of the
 * webhookRetries job): how long the longest-waiting due delivery has waited since it fell due.
 */
describe('oldestPendingAgeSeconds', () => {
  const now = new Date('2026-12-03T12:00:00.000Z');

  it('is 0 when nothing is due', () => {
    expect(oldestPendingAgeSeconds(now, [])).toBe(0);
  });

  it('is the wait of the delivery due longest ago, in whole seconds', () => {
    expect(oldestPendingAgeSeconds(now, ['2026-12-03T11:59:30.000Z', '2026-12-03T11:15:00.500Z', '2026-12-03T11:59:59.000Z'])).toBe(2699);
  });

  it('never goes below 0 (a delivery due in this very minute) and skips a time it cannot read', () => {
    expect(oldestPendingAgeSeconds(now, ['2026-12-03T12:00:00.900Z'])).toBe(0);
    expect(oldestPendingAgeSeconds(now, ['not a time', '2026-12-03T11:58:00.000Z'])).toBe(120);
  });
});
