import * as z from 'zod/mini';
import { plainHandler } from '#platform/http-base.ts';
import { clock } from '#platform/clock.ts';

const Health = z
  .object({ status: z.literal('ok'), time: z.iso.datetime({ offset: true }).check(z.describe('The server clock (the local stack\'s may be moved)')) })
  .register(z.globalRegistry, { id: 'Health', description: 'The API answers', examples: [{ status: 'ok', time: '2026-12-02T12:00:00.000Z' }] });

/** GET /v1/health: liveness, no auth, touches nothing. */
export const handler = plainHandler({ auth: false, response: Health }, async () => ({
  statusCode: 200,
  body: { status: 'ok', time: clock.nowIso() },
}));
