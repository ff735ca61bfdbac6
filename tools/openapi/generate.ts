/**
 * `npm run openapi`: writes functions/http/docs/openapi.json from the route table and the handlers'
 * zod schemas. `npm test` fails while the committed file is behind (test/unit/openapi.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { DOCUMENT_PATH, generatedDocument, loadHandlerModules, renderDocument } from './load.ts';

writeFileSync(DOCUMENT_PATH, renderDocument(generatedDocument(await loadHandlerModules())));
process.stdout.write(`wrote ${DOCUMENT_PATH}\n`);
