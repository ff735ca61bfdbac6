import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from '../console/security-headers.ts';

/**
 * The console (console/) at `/` of the local gateway, the same origin as `/v1` as CloudFront
 * serves it in AWS: files from console/dist, any other path answered with index.html (the
 * console's router takes it from there), with the security headers CloudFront sends.
 * `npm start` builds console/dist first when it is missing or older than the console's sources.
 */
const ROOT = resolve(import.meta.dirname, '../console');
export const CONSOLE_DIST = join(ROOT, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether console/dist is missing or behind its sources (src/, index.html, the Vite config). */
export function consoleBuildIsStale(): boolean {
  const built = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(newestIn(join(ROOT, 'src')), newestIn(join(ROOT, 'public')), statSync(join(ROOT, 'index.html')).mtimeMs, statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  return sources > statSync(built).mtimeMs;
}

/**
 * Builds the console with Vite (the same build `npm run console:build` makes), in a child process
 * with NODE_ENV=production: a stack started from jest runs with NODE_ENV=test, which would make
 * Vite bundle React's development build.
 */
export async function buildConsole(): Promise<void> {
  const vite = resolve(ROOT, '../node_modules/vite/bin/vite.js');
  const { execFile } = await import('node:child_process');
  await new Promise<void>((done, fail) =>
    execFile(process.execPath, [vite, 'build', '-c', join(ROOT, 'vite.config.ts'), '--logLevel', 'warn'], { env: { ...process.env, NODE_ENV: 'production' } }, (err, _out, stderr) =>
      err ? fail(new Error(`The console did not build: ${stderr || err.message}`)) : done(),
    ),
  );
}

export interface SiteAnswer {
  status: number;
  body: Buffer | string;
  headers: Record<string, string>;
}

/** A GET or HEAD outside /v1, /_local and /docs: a file of the console, or its index.html. */
export async function serveConsole(pathname: string, dist: string = CONSOLE_DIST): Promise<SiteAnswer> {
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    relative = '';
  }
  const file = join(dist, relative);
  const inside = file.startsWith(dist + sep);
  if (inside && extname(file) && existsSync(file) && statSync(file).isFile()) {
    // Vite names assets by content hash: they never change, so they are cached for a year.
    const immutable = relative.startsWith('assets/');
    return {
      status: 200,
      body: await readFile(file),
      headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', ...SECURITY_HEADERS },
    };
  }
  if (extname(relative) && relative !== 'index.html') {
    return { status: 404, body: 'Not found', headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } };
  }
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return { status: 503, body: 'The console is not built: run `npm run console:build`.', headers: { 'content-type': 'text/plain; charset=utf-8' } };
  return { status: 200, body: await readFile(index), headers: { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache', ...SECURITY_HEADERS } };
}
