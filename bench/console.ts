/**
 * The console's figures of docs/product.md#quality-bars: initial JavaScript (gzip) of a fresh
 * production build, first contentful paint of the sign-in page and of the dashboard in Chromium
 * against the bench's local stack, and the /v1 requests each screen makes. See bench/README.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Fixtures } from './fixtures.ts';
import type { Api } from './lib/api.ts';
import { figure, type Figure } from './lib/results.ts';
import { median } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CONSOLE = join(ROOT, 'console');
const KB = 1000;

export const INITIAL_JS_TARGET_KB = 250;
export const FCP_TARGET_MS = 1000;
export const REQUESTS_PER_SCREEN_TARGET = 2;

// ---------------------------------------------------------------------------------------------
// (a) Initial JavaScript

export interface Chunk {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface InitialJavaScript {
  /** The module script of index.html (`/assets/index-<hash>.js`): names the build. */
  entry: string;
  chunks: Chunk[];
  gzipBytes: number;
  bytes: number;
  /** CSS linked from index.html, for context (not JavaScript). */
  cssGzipBytes: number;
  /** Minified bytes of the initial chunks by origin (npm package or console/src), from their source maps. */
  byOrigin: { origin: string; bytes: number }[];
}

/**
 * `vite build` of console/ (its own vite.config.ts) into a temporary directory; console/dist is
 * left alone. NODE_ENV is production for the build, as in `npm run console:build` from a shell:
 * under another NODE_ENV (jest sets `test`) Vite bundles React's development build, ~70 KB gzip more.
 */
export async function buildConsoleInto(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(CONSOLE, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

const gzipSize = (buffer: Buffer): number => gzipSync(buffer).length;

/**
 * The JavaScript a first visit loads before anything is lazy: the module script of index.html,
 * its modulepreload links, and (in case a link is missing) every chunk those import statically,
 * followed transitively. Dynamic `import()` chunks are not counted.
 */
export function initialJavaScript(dist: string): InitialJavaScript {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const scripts = tags.filter((t) => t.startsWith('<script') && /type\s*=\s*["']module["']/.test(t)).map((t) => attr(t, 'src'));
  const preloads = tags.filter((t) => t.startsWith('<link') && /rel\s*=\s*["']modulepreload["']/.test(t)).map((t) => attr(t, 'href'));
  const css = tags.filter((t) => t.startsWith('<link') && /rel\s*=\s*["']stylesheet["']/.test(t)).map((t) => attr(t, 'href'));
  const toFile = (url: string) => join(dist, url.replace(/^\//, ''));

  const queue = [...scripts, ...preloads].filter((u): u is string => Boolean(u) && !/^https?:/.test(u!)).map(toFile);
  if (queue.length === 0) throw new Error(`${dist}/index.html loads no module script`);
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // Static imports of a minified ES module: `import{a as b}from"./x.js"`, `import"./y.js"`.
    for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      queue.push(resolve(dirname(file), match[1]!));
    }
  }
  const chunks = [...seen].map((file) => {
    const buffer = readFileSync(file);
    return { file: relative(dist, file), bytes: buffer.length, gzipBytes: gzipSize(buffer) };
  });
  const cssGzipBytes = css.filter((u): u is string => Boolean(u)).reduce((sum, u) => sum + gzipSize(readFileSync(toFile(u))), 0);
  const byOrigin = new Map<string, number>();
  for (const chunk of chunks) {
    for (const [origin, bytes] of bytesByOrigin(join(dist, chunk.file))) byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytes);
  }
  return {
    entry: scripts[0] ?? '',
    chunks: chunks.sort((a, b) => b.gzipBytes - a.gzipBytes),
    gzipBytes: chunks.reduce((s, c) => s + c.gzipBytes, 0),
    bytes: chunks.reduce((s, c) => s + c.bytes, 0),
    cssGzipBytes,
    byOrigin: [...byOrigin].map(([origin, bytes]) => ({ origin, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** npm package (`@mantine/core`, `react-dom`) or `console/src/<dir>` of a source map's source path. */
function originOf(source: string): string {
  const inModules = source.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const parts = source.slice(inModules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = source.indexOf('src/');
  if (src >= 0) {
    const parts = source.slice(src).split('/');
    return parts.length > 2 ? `console/${parts[0]}/${parts[1]}` : `console/${parts.join('/')}`;
  }
  return source;
}

const VLQ = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Decodes one mappings segment (base64 VLQ) into its numbers. */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = VLQ.get(char);
    if (digit === undefined) throw new Error(`bad VLQ digit ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/**
 * The generated bytes of a chunk attributed to where they came from, by its source map: each
 * mapping segment owns the generated text up to the next segment. Unmapped text (the bundler's
 * glue) counts as `(bundler)`. Sizes are minified bytes, not gzip.
 */
function bytesByOrigin(file: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (origin: string, n: number) => n > 0 && out.set(origin, (out.get(origin) ?? 0) + n);
  const mapFile = `${file}.map`;
  const code = readFileSync(file, 'utf8');
  if (!existsSync(mapFile)) {
    add('(no source map)', Buffer.byteLength(code));
    return out;
  }
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
  const lines = code.split('\n');
  let sourceIndex = 0;
  map.mappings.split(';').forEach((line, lineNo) => {
    const text = lines[lineNo] ?? '';
    let column = 0;
    let previous: { column: number; origin: string } | undefined;
    let covered = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const [dColumn, dSource] = decodeSegment(segment);
      column += dColumn!;
      if (dSource !== undefined) sourceIndex += dSource;
      if (previous) add(previous.origin, Buffer.byteLength(text.slice(previous.column, column)));
      else add('(bundler)', Buffer.byteLength(text.slice(0, column)));
      previous = { column, origin: dSource === undefined ? '(bundler)' : originOf(map.sources[sourceIndex] ?? '?') };
      covered = column;
    }
    if (previous) add(previous.origin, Buffer.byteLength(text.slice(covered)));
    else add('(bundler)', Buffer.byteLength(text));
  });
  return out;
}

export interface ConsoleBuild {
  /** The temporary directory of the build; `remove()` when done with it. */
  dir: string;
  figure: Figure;
  analysis: InitialJavaScript;
  remove: () => void;
}

/** Builds the console into a temporary directory and measures its initial JavaScript; the build is kept for the browser figures. */
export async function buildAndMeasureConsole(): Promise<ConsoleBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'clp-console-build-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await buildConsoleInto(dir);
    const analysis = initialJavaScript(dir);
    const top = analysis.byOrigin.slice(0, 8).map((o) => `${o.origin} ${(o.bytes / KB).toFixed(0)}`).join(', ');
    const totalBuilt = listFiles(join(dir, 'assets')).filter((f) => f.endsWith('.js')).length;
    return {
      dir,
      analysis,
      remove,
      figure: figure({
        group: 'Console: initial JavaScript (vite build, gzip)',
        name: 'JavaScript loaded by index.html (entry + modulepreload + static imports)',
        value: analysis.gzipBytes / KB,
        unit: 'KB',
        floor: INITIAL_JS_TARGET_KB,
        floorKind: 'target',
        target: 1,
        note:
          `${analysis.chunks.map((c) => `${c.file} ${(c.gzipBytes / KB).toFixed(1)} KB gzip (${(c.bytes / KB).toFixed(0)} KB min)`).join('; ')}; ` +
          `CSS ${(analysis.cssGzipBytes / KB).toFixed(1)} KB gzip besides; ${totalBuilt} JS chunks built. Largest origins (KB minified): ${top}`,
      }),
    };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * Serves a console build as the local gateway serves console/dist (the same `serveConsole` of
 * local/console.ts) and passes `/v1` and `/_local` through to the stack, so the
 * browser sees one origin as it does in AWS. The bench measures its own fresh build this way,
 * whatever state console/dist is in.
 */
export async function serveBuild(dir: string, stackBaseUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const { serveConsole } = await import('../local/console.ts');
  const upstream = new URL(stackBaseUrl);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/_local/')) {
      const forward = request(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('stack unreachable');
      });
      req.pipe(forward);
      return;
    }
    void serveConsole(url.pathname, dir).then((page) => {
      res.writeHead(page.status, page.headers);
      res.end(page.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
}

// ---------------------------------------------------------------------------------------------
// (b) First contentful paint and (c) requests per screen, in Chromium

/** The console keeps its session in localStorage under this key (console/src/api/session.ts). */
const SESSION_KEY = 'clp.session';

export interface BrowserOptions {
  baseUrl: string;
  api: Api;
  fixtures: Fixtures;
  /** Page loads per FCP figure (the median is reported). */
  loads: number;
  /** The entry script of the build served, for the notes. */
  entry?: string;
}

/** Screens whose /v1 requests are counted, as the customer admin of the fixtures. */
const SCREENS: { name: string; path: string }[] = [
  { name: 'dashboard', path: '/' },
  { name: 'users', path: '/users' },
  { name: 'subscriptions', path: '/subscriptions' },
  { name: 'invoices', path: '/billing/invoices' },
];

/** How long the network must stay quiet before a screen counts as settled (generous: the machine may be busy). */
const SETTLED_MS = 3000;

/** Requests that are not a screen's data: who am I, and the sign-in/refresh exchange. */
const notScreenData = (pathname: string) => pathname === '/v1/me' || pathname.startsWith('/v1/auth/');

const FCP_GROUP = 'Console: first contentful paint on the local stack (Chromium, cold cache)';
const REQUESTS_GROUP = 'Console: /v1 requests per screen (full load until the network settles; /v1/me and /v1/auth/* not counted)';

/** A measurement that could not be made (a screen still missing, a timeout): a FAIL line saying why. */
const broken = (group: string, name: string, unit: string, floor: number, err: unknown): Figure =>
  figure({ group, name, value: Number.NaN, unit, floor, floorKind: 'target', target: 1, pass: false, note: `not measured: ${(err as Error).message?.split('\n')[0] ?? String(err)}` });

export async function browserFigures(opts: BrowserOptions): Promise<Figure[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const figures: Figure[] = [];
  try {
    const signIn = await opts.api.expect(200, 'POST', '/v1/auth/login', { body: { login: opts.fixtures.adminLogin, password: opts.fixtures.adminPassword } });
    const storageState = {
      cookies: [],
      origins: [{ origin: new URL(opts.baseUrl).origin, localStorage: [{ name: SESSION_KEY, value: JSON.stringify(signIn.body) }] }],
    };
    const served = `the build measured for size (${opts.entry ?? '?'}), /v1 from the local stack`;

    /**
     * One cold load (a fresh browser context: empty cache, as a first visit) of `path`; the
     * browser's own first-contentful-paint entry, in ms from navigation start.
     */
    const fcpOnce = async (path: string, signedIn: boolean, screen = true): Promise<{ fcp: number; url: string }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(signedIn ? { storageState } : {}) });
      try {
        const page = await context.newPage();
        await page.goto(`${opts.baseUrl}${path}`, { waitUntil: 'load' });
        // The screen itself, not an error page: its h1 is there.
        if (screen) await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
        const handle = await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime, undefined, { timeout: 30_000 });
        const fcp = (await handle.jsonValue()) as number;
        return { fcp, url: new URL(page.url()).pathname };
      } finally {
        await context.close();
      }
    };

    // What this machine needs right now to paint a page with no JavaScript at all (the server's
    // plain-text 404): the notes give it, so a slow figure can be told from a slow machine.
    let plainPaint = '?';
    try {
      const plain: number[] = [];
      for (let i = 0; i < opts.loads; i++) plain.push((await fcpOnce('/bench-no-such-file.txt', false, false)).fcp);
      plainPaint = `${median(plain).toFixed(0)} ms`;
    } catch {
      // only context for the notes
    }

    for (const [name, path, signedIn] of [
      ['sign-in page (/login)', '/login', false],
      ['dashboard (/) after sign-in', '/', true],
    ] as const) {
      try {
        await fcpOnce(path, signedIn); // not counted: the gateway's first reads of the files
        const samples: number[] = [];
        let landed = '';
        for (let i = 0; i < opts.loads; i++) {
          const { fcp, url } = await fcpOnce(path, signedIn);
          samples.push(fcp);
          landed = url;
        }
        const value = median(samples);
        figures.push(
          figure({
            group: FCP_GROUP,
            name,
            value,
            unit: 'ms',
            floor: FCP_TARGET_MS,
            floorKind: 'target',
            target: 1,
            pass: landed === path && value <= FCP_TARGET_MS,
            note: `median of ${opts.loads} loads, each in a fresh browser context: ${samples.map((s) => s.toFixed(0)).join(', ')} ms; landed on ${landed}; served: ${served}; a plain-text page without JavaScript paints in ${plainPaint} (median) on this machine at this time`,
          }),
        );
      } catch (err) {
        figures.push(broken(FCP_GROUP, name, 'ms', FCP_TARGET_MS, err));
      }
    }

    // Requests per screen: a full load of the screen, signed in, counted once the network is idle.
    for (const screen of SCREENS) {
      const name = `${screen.name} (${screen.path})`;
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState });
      try {
        const page = await context.newPage();
        const requests: string[] = [];
        let inFlight = 0;
        let lastActivity = Date.now();
        const settle = () => {
          inFlight = Math.max(0, inFlight - 1);
          lastActivity = Date.now();
        };
        page.on('request', (request) => {
          inFlight += 1;
          lastActivity = Date.now();
          const url = new URL(request.url());
          if (url.pathname.startsWith('/v1/') && !notScreenData(url.pathname)) requests.push(`${request.method()} ${url.pathname}${url.search}`);
        });
        page.on('requestfinished', settle);
        page.on('requestfailed', settle);
        await page.goto(`${opts.baseUrl}${screen.path}`, { waitUntil: 'load', timeout: 60_000 });
        // The screen rendered (its h1), then the network stayed quiet for SETTLED_MS: the data of
        // the screen's queries (which may start only once /v1/me or a lazy chunk has arrived) is in.
        const h1 = (await page.locator('h1').first().textContent({ timeout: 30_000 })) ?? '';
        const deadline = Date.now() + 60_000;
        while (inFlight > 0 || Date.now() - lastActivity < SETTLED_MS) {
          if (Date.now() > deadline) throw new Error(`the network never settled (${inFlight} requests in flight)`);
          await new Promise((wake) => setTimeout(wake, 100));
        }
        const landed = new URL(page.url()).pathname;
        figures.push(
          figure({
            group: REQUESTS_GROUP,
            name,
            value: requests.length,
            unit: 'requests',
            floor: REQUESTS_PER_SCREEN_TARGET,
            floorKind: 'target',
            target: 1,
            pass: landed === screen.path && requests.length <= REQUESTS_PER_SCREEN_TARGET,
            note: `h1 "${h1.trim()}", landed on ${landed}: ${requests.join(', ') || 'none'}`,
          }),
        );
      } catch (err) {
        figures.push(broken(REQUESTS_GROUP, name, 'requests', REQUESTS_PER_SCREEN_TARGET, err));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return figures;
}
