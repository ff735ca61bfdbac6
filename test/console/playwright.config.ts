import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The console's browser tests: Debian's Chromium (CONSOLE_CHROMIUM_PATH or CHROMIUM_PATH, else the
 * headless shell when installed, else /usr/bin/chromium) against one local stack started by
 * `npm start`'s own entry point on ports of its own, so they run beside a developer's stack. Every
 * spec runs at desktop width; the seeds' journeys and a tour of every screen (tag @narrow) also at
 * 360 px. Specs that move the shared clock run last, one at a time (the `*-clock` projects), so
 * they cannot disturb the rest.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PORT = Number(process.env.CONSOLE_TEST_PORT ?? 3310);
const CLOCK = /\.clock\.spec\.ts$/;
// Debian's chromium-headless-shell is the same Blink in Chromium's original headless mode, without
// the full browser the new headless mode runs: it took a third less CPU over the same specs (77 s
// against 114 s; docs/console.md "Tests"), and CPU is what these tests wait on. Playwright's
// own downloads use that shell for headless runs too.
const CHROMIUM =
  process.env.CONSOLE_CHROMIUM_PATH ?? process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');
const desktop = { viewport: { width: 1280, height: 800 } };
const mobile = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

export default defineConfig({
  testDir: '.',
  testMatch: /\.spec\.ts$/,
  outputDir: resolve(ROOT, '.local-console-tests/results'),
  fullyParallel: true,
  // Two browsers on 2 cores: a third was no faster here and leaves less room on a busy machine.
  // CONSOLE_WORKERS overrides it.
  workers: Number(process.env.CONSOLE_WORKERS ?? 2),
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: resolve(ROOT, '.local-console-tests/report') }]] : [['list']],
  use: {
    // CONSOLE_BASE_URL points the browser at a Vite dev server (which proxies /v1 to the stack) while working on the console.
    baseURL: process.env.CONSOLE_BASE_URL ?? `http://localhost:${PORT}`,
    launchOptions: { executablePath: CHROMIUM },
    // As a person who asked for less motion: no transitions to wait for (the theme respects it).
    reducedMotion: 'reduce',
    screenshot: 'only-on-failure',
    // A failed test keeps its trace (actions, DOM snapshots, network) but no screencast: filming
    // every frame of every test cost a third of the machine (Chromium's compositor and encoder).
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
  },
  projects: [
    // The tours (@narrowOnly) exist for 360 px: at desktop width every screen's spec runs axe already.
    { name: 'desktop', testIgnore: CLOCK, grepInvert: /@narrowOnly/, use: desktop },
    // At 360 px: the seeds' journeys and the tour of every other screen (tag @narrow); the rest of
    // the journeys (refusals, edits, staff landings) at desktop width only.
    { name: 'mobile', testIgnore: CLOCK, grep: /@narrow/, use: mobile },
    { name: 'desktop-clock', testMatch: CLOCK, use: desktop, dependencies: ['desktop', 'mobile'], fullyParallel: false },
    { name: 'mobile-clock', testMatch: CLOCK, use: mobile, dependencies: ['desktop-clock'], fullyParallel: false },
  ],
  webServer: {
    command: `rm -rf .local-console-tests/data && ${resolve(ROOT, 'node_modules/.bin/tsx')} local/start.ts`,
    cwd: ROOT,
    url: `http://localhost:${PORT}/v1/health`,
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      // The pinned Node 22 (the node@22 devDependency) runs the stack even when this runner was
      // started without npm (`npx playwright`, an editor): the machine's own node may be older.
      PATH: `${resolve(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      PORT: String(PORT),
      LOCAL_DATA_DIR: '.local-console-tests/data',
      DYNAMODB_PORT: String(PORT + 1),
      SES_PORT: String(PORT + 2),
      SFN_PORT: String(PORT + 3),
      LOCAL_QUIET: 'true',
      LOCAL_SCHEDULER: 'false',
      // The workflow polls the sandbox vendor every 50 ms, as on the integration tests' stack (200 ms for npm start).
      LOCAL_VENDOR_POLL_MS: '50',
      // The browser tests sign in far more often than one address may (the edge's per-IP limits, docs/operations.md#edge).
      EDGE_RATE_LIMITS: 'false',
    },
  },
});
