import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from '../../local/console.ts';
import { CONTENT_SECURITY_POLICY } from '../../console/security-headers.ts';

/**
 * How the local gateway serves the console: files of the build, index.html for the console's own
 * routes (its router takes over), 404 for a missing file, nothing outside the build directory, and
 * the same security headers CloudFront sends.
 */
const dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
const outside = `${dist}-secret.txt`;
beforeAll(() => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(outside, 'not for the browser');
});
afterAll(() => {
  rmSync(dist, { recursive: true, force: true });
  rmSync(outside, { force: true });
});

describe('the console at / of the local gateway', () => {
  it('answers index.html for the console routes, with the CSP and no caching', async () => {
    for (const path of ['/', '/users', '/subscriptions/sub_01ABC', '/activate']) {
      const answer = await serveConsole(path, dist);
      expect(answer.status).toBe(200);
      expect(String(answer.body)).toContain('<title>console</title>');
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets for a year and other files without caching', async () => {
    const asset = await serveConsole('/assets/index-abc123.js', dist);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await serveConsole('/favicon.svg', dist);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 for a missing file rather than the page', async () => {
    expect((await serveConsole('/assets/missing-123.js', dist)).status).toBe(404);
  });

  it('never serves a file outside the build, however the path is written', async () => {
    const name = outside.split('/').pop()!;
    for (const path of [`/../${name}`, `/%2e%2e/${name}`, `/assets/..%2f..%2f${name}`, `/..%5c${name}`]) {
      const answer = await serveConsole(path, dist);
      expect(String(answer.body)).not.toContain('not for the browser');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    try {
      const answer = await serveConsole('/', empty);
      expect(answer.status).toBe(503);
      expect(String(answer.body)).toContain('npm run console:build');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
