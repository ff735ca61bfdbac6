/**
 * Which integration test files may run beside which (test/README.md "integration"). The files run
 * in parallel against one shared stack (globalSetup), so each file is in one of three lanes:
 *
 * - shared (every file not listed below): it makes its own accounts and reads only what it made,
 *   so it runs beside any other shared file. The first phase runs them all, `--maxWorkers` at once.
 * - ALONE: it changes what every file on the shared stack sees (the clock, a fault switch, a daily
 *   job over every account). These run in the second phase, one after another, while no shared
 *   file runs.
 * - OWN_STACK: it starts a stack of its own (`startStack`) and never calls the shared one, so it runs
 *   beside anything: in the second phase, beside the ALONE files.
 *
 * `lane-guard.js` holds every file to its lane: a file that is not ALONE and changes the shared
 * stack's clock, faults or jobs fails at that request, and so does an OWN_STACK file that calls the
 * shared stack at all. A new file that moves the clock goes in ALONE, with why.
 */

/** File (relative to test/integration/) → what it changes for everyone. */
export const ALONE = {
  'accounts-suspension.test.ts': 'moves the clock (a suspension a minute later)',
  'commerce.test.ts': 'moves the clock and runs the billing job on the 1st (statements of every reseller) and the renewals job',
  'domains-invitation.test.ts': 'moves the clock (resending an invitation minutes later)',
  'jobs.test.ts': 'moves the clock and runs the daily jobs, which take every account due that day',
  'job-runs.test.ts': 'flips the jobs fault switch (`/_local/faults/jobs`: runs that throw, runs that stop after one item), moves the clock (2032) and runs the renewals and billing jobs as the scheduler does, which take every account due that day',
  'payment-methods.test.ts': 'resets the clock first (card expiry is checked against it)',
  'not-paying.test.ts': 'moves the clock (2029) and runs the dunning and billing jobs, which take every account due that day',
  'subscriptions.test.ts': 'moves the clock (cancellation windows, renewals)',
  'scheduled-changes.test.ts': 'moves the clock (2030) and runs the renewals and dunning jobs, which take every subscription due that day',
  'trials-qualifications.test.ts': 'moves the clock to a trial\'s end and runs the renewals job, which takes every subscription due that day',
  'upgrades.test.ts': 'moves the clock (an upgrade 10 days into the billing period, priced by days)',
  'users.test.ts': 'moves the clock (activation-link expiry)',
  'webhooks-outage.test.ts': 'moves the clock a day on (a webhook endpoint down past its 24 h of retries)',
  'reliability/webhook-faults.test.ts': 'runs the `webhookRetries` job (`?time=` hours ahead), which sends every endpoint\'s due retries',
  'reliability/email-faults.test.ts': 'makes SES refuse every email (`/_local/faults/ses`) for a while',
  'reliability/workflow-faults.test.ts': 'makes Step Functions refuse or hang (`/_local/faults/sfn`) and runs `unstartedOrders`, which takes every order',
};

/** File → the stack it starts instead (it never calls the shared one). */
export const OWN_STACK = {
  'restart.test.ts': 'restarts its stack (SIGTERM, then the same data dir)',
  'sessions.test.ts': 'a login flood and clock moves, with the DynamoDB call recorder on',
  'edge.test.ts': 'the edge\'s per-IP rate limits on (EDGE_RATE_LIMITS): its floods leave its address refused for minutes',
  'reliability/untrusted-requests.test.ts': 'a full-table snapshot before and after the fuzz',
  'reliability/vendor-faults.test.ts': 'a sandbox vendor failing 30% of its calls',
  'signing-keys.test.ts': 'rotates its stack\'s signing keys twice (`/_local/keys/rotate`): the second drops the key other files\' tokens were signed with',
  'table-copy.test.ts': 'exports its table, imports it into a fresh table and restarts on that one (TABLE_NAME), deleting the original; stops an order\'s execution (tools/order-resume.ts)',
};

const DIR = 'test/integration/';

/** The lane of a test file, by its absolute or relative path: 'alone', 'own-stack' or 'shared'. */
export function laneOf(path) {
  const at = path.replaceAll('\\', '/').lastIndexOf(DIR);
  const name = at >= 0 ? path.replaceAll('\\', '/').slice(at + DIR.length) : path;
  if (Object.hasOwn(ALONE, name)) return 'alone';
  if (Object.hasOwn(OWN_STACK, name)) return 'own-stack';
  return 'shared';
}

/**
 * A request that changes what every file on a stack sees: the clock, a fault switch, a job run.
 * Not one:
 * - `webhookRetries`: it sends only the webhook deliveries already due by the clock, as the
 *   scheduler does every minute in AWS (an early run changes nothing; a late one only delays);
 * - the Step Functions switch's `hanging` for one correlation id (`{"hanging", "correlationId"}`):
 *   it holds only for the executions started under the id its file sends (idempotency.test.ts).
 */
export const changesSharedState = (method, pathname, body) =>
  method.toUpperCase() !== 'GET' &&
  /^\/_local\/(clock|faults|jobs|keys)(\/|$)/.test(pathname) &&
  pathname !== '/_local/jobs/webhookRetries' &&
  !(pathname === '/_local/faults/sfn' && scopedToCorrelation(body));

function scopedToCorrelation(body) {
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) : undefined;
    return typeof parsed?.correlationId === 'string' && Object.keys(parsed).every((k) => k === 'hanging' || k === 'correlationId');
  } catch {
    return false;
  }
}
