import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LocalEndpoint } from './gateway.ts';

/**
 * The API reference page of the local stack: `GET /docs` is Swagger UI (from the swagger-ui-dist
 * package, served from node_modules: no CDN, works offline) reading `/v1/openapi.json`, the
 * document the API itself serves.
 */
const require = createRequire(import.meta.url);
const ASSETS = dirname(require.resolve('swagger-ui-dist/package.json'));
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Cloud License Portal API reference</title>
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// In its own file, so the page needs no inline script.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  persistAuthorization: true,
  tryItOutEnabled: false,
});
`;

export const docsEndpoint: LocalEndpoint = async (req, _body, url) => {
  if (req.method !== 'GET') return undefined;
  const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' };
  if (url.pathname === '/docs' || url.pathname === '/docs/') return { status: 200, body: PAGE, headers: html };
  if (url.pathname === '/docs/init.js') return { status: 200, body: INIT, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } };
  const name = url.pathname.slice('/docs/'.length);
  const type = FILES[name];
  if (!type) return undefined;
  return { status: 200, body: await readFile(join(ASSETS, name)), headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' } };
};
