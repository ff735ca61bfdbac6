/**
 * `npm run openapi`: writes functions/http/docs/openapi.generated.ts from the route table and the
 * handlers' zod schemas. `npm test` fails while the committed file is behind (test/unit/openapi.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderGenerated, loadHandlerModules } from './load.ts';

const target = resolve(import.meta.dirname, 'openapi.generated.ts');
writeFileSync(target, renderGenerated(await loadHandlerModules()));
process.stdout.write(`wrote ${target}\n`);
