import { plainHandler } from '#platform/http-base.ts';
import { clock } from '#platform/clock.ts';

/** GET /v1/health: liveness, no auth, touches nothing. */
export const handler = plainHandler({ auth: false }, async () => ({
  statusCode: 200,
  body: { status: 'ok', time: clock.nowIso() },
}));
