import { ESLint } from 'eslint';

/**
 * The layering of functions/ (docs/architecture.md "Layers") is the lint configuration's: each case
 * lints one import as if it stood in a file of that folder and expects the verdict.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function refused(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import { thing } from '${source}';\nexport const used = thing;\n`, { filePath: file });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('who may import whom in functions/', () => {
  it.each([
    ['functions/domain/rule.ts', '#platform/clock.ts'],
    ['functions/domain/rule.ts', '#data/orders.ts'],
    ['functions/domain/rule.ts', '../data/orders.ts'],
    ['functions/platform/thing.ts', '#data/entities.ts'],
    ['functions/platform/thing.ts', '#services/orders.ts'],
    ['functions/data/repo.ts', '#services/orders.ts'],
    ['functions/data/repo.ts', '#http/route.ts'],
    ['functions/services/use-case.ts', '#http/route.ts'],
    ['functions/services/use-case.ts', '#workflow/task.ts'],
    ['functions/services/use-case.ts', '../jobs/shared.ts'],
    ['functions/http/orders/handler.ts', '#workflow/task.ts'],
    ['functions/http/orders/handler.ts', '#jobs/renewals.ts'],
    ['functions/jobs/renewals.ts', '#workflow/start.ts'],
    ['functions/workflow/provision.ts', '#http/orders/handler.ts'],
    ['functions/streams/notifier.ts', '#jobs/shared.ts'],
    ['functions/emails/outbox.ts', '#services/orders.ts'],
    ['functions/http/orders/handler.ts', '../../../local/config.ts'],
    ['functions/services/use-case.ts', '../../tools/openapi/build.ts'],
  ])('refuses in %s an import of %s', async (file, source) => {
    expect(await refused(file, source)).toBe(true);
  });

  it.each([
    ['functions/domain/rule.ts', './money.ts'],
    ['functions/data/repo.ts', '#domain/money.ts'],
    ['functions/data/repo.ts', '#platform/clock.ts'],
    ['functions/services/use-case.ts', '#data/orders.ts'],
    ['functions/services/use-case.ts', '#domain/money.ts'],
    ['functions/services/use-case.ts', '#emails/index.ts'],
    ['functions/http/orders/handler.ts', '#services/orders.ts'],
    ['functions/http/orders/handler.ts', '../schemas.ts'],
    ['functions/workflow/provision.ts', '#services/order-lifecycle.ts'],
    ['functions/jobs/renewals.ts', '#services/renewals.ts'],
    ['functions/platform/payments/sandbox.ts', '#data/entities.ts'],
  ])('allows in %s an import of %s', async (file, source) => {
    expect(await refused(file, source)).toBe(false);
  });
});
