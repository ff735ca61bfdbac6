/**
 * `npm run openapi`: writes functions/http/docs/openapi.json from the route table and the handlers'
 * zod schemas, and the console's client types generated from it. `npm test` fails while either
 * committed file is behind (test/unit/openapi.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { DOCUMENT_PATH, generatedDocument, loadHandlerModules, renderDocument } from './load.ts';
import { CLIENT_TYPES_PATH, renderClientTypes } from './client-types.ts';

const document = generatedDocument(await loadHandlerModules());
writeFileSync(DOCUMENT_PATH, renderDocument(document));
process.stdout.write(`wrote ${DOCUMENT_PATH}\n`);
writeFileSync(CLIENT_TYPES_PATH, await renderClientTypes(document));
process.stdout.write(`wrote ${CLIENT_TYPES_PATH}\n`);
