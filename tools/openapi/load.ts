import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FUNCTIONS, ROUTES, type FunctionName } from '../../functions/registry.ts';
import { OpenApiDocumentSchema } from '../../functions/http/docs/schemas.ts';
import { buildOpenApi, type HandlerModule, type OpenApiDocument } from './build.ts';

/** Build time only (never bundled): imports every HTTP handler module to read its schemas. */
const ROOT = resolve(import.meta.dirname, '../..');

/** Where the document is committed; the docs function imports it (functions/http/docs/handler.ts). */
export const DOCUMENT_PATH = resolve(ROOT, 'functions/http/docs/openapi.json');

export async function loadHandlerModules(): Promise<Partial<Record<FunctionName, HandlerModule>>> {
  const names = [...new Set(ROUTES.map((r) => r.fn))];
  const modules: Partial<Record<FunctionName, HandlerModule>> = {};
  for (const name of names) {
    // The docs function serves this very document: it is described here rather than imported (it imports the file being built).
    if (name === 'docs') {
      modules.docs = { handler: { schemas: { auth: false, response: OpenApiDocumentSchema } } };
      continue;
    }
    modules[name] = (await import(pathToFileURL(resolve(ROOT, FUNCTIONS[name].entry)).href)) as HandlerModule;
  }
  return modules;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function generatedDocument(modules: Partial<Record<FunctionName, HandlerModule>>): OpenApiDocument {
  return buildOpenApi(modules, packageVersion());
}

/** The file's text exactly as `npm run openapi` writes it. */
export function renderDocument(document: OpenApiDocument): string {
  return JSON.stringify(document, null, 2) + '\n';
}
