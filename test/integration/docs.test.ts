import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { chromium, type Browser } from 'playwright-core';
import { ROUTES, routeKey } from '../../functions/registry.ts';
import { EVENT_TYPES } from '../../functions/domain/events.ts';
import { call, stack } from './api.ts';

/** The committed document (`npm run openapi`), which the docs function bundles. */
const committed = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../functions/http/docs/openapi.json'), 'utf8')) as Record<string, unknown>;

/**
 * The API reference: the API serves its OpenAPI document, and /docs (Swagger UI in the local stack)
 * renders every route of the route table in a real headless Chromium (Debian's package; `.ci/run`
 * installs it, CHROMIUM_PATH points elsewhere).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the API reference', () => {
  it('GET /v1/openapi.json answers the generated document without a token', async () => {
    const r = await call('GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(committed);
    const documented = Object.entries(r.body.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map(routeKey).sort());
    const valid = await new Validator().validate(r.body as Record<string, unknown>);
    expect(valid.errors ?? []).toEqual([]);
    expect(valid.valid).toBe(true);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('/docs shows every route of the route table', async () => {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (req) => failed.push(req.url()));
      page.on('pageerror', (err) => failed.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') failed.push(msg.text());
      });
      await page.goto(`${stack().baseUrl}/docs`, { waitUntil: 'load' });
      await page.waitForSelector('.opblock', { timeout: 30000 });
      const shown = await page.$$eval('.opblock', (blocks) =>
        blocks.map((b) => {
          const method = b.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
          const path = b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
          return `${method} ${path}`;
        }),
      );
      // Every route, and each webhook event type as the POST the portal makes to a receiver (the document's `webhooks`).
      expect([...new Set(shown)].sort()).toEqual([...ROUTES.map(routeKey), ...EVENT_TYPES.map((t) => `POST ${t}`)].sort());
      expect(await page.title()).toContain('API reference');
      // Swagger UI shows a document it cannot read in an error panel rather than throwing.
      expect(await page.locator('.errors-wrapper').count()).toBe(0);
      expect(failed).toEqual([]);
      await page.close();
    });
  });
});
