/**
 * Module substitutions of the Lambda bundles only (esbuild `alias`): infra/constructs/app-function.ts
 * passes them to NodejsFunction as `--alias` arguments and bench/bundles.ts (figures 1 and 2, and the
 * bundle budget test) as esbuild's `alias` option, so both bundle the same code. Paths are relative
 * to the repository root, esbuild's working directory in both. Tests and the local stack run the
 * TypeScript sources with tsx and never see these substitutions.
 *
 * No imports: the bench reads this without loading aws-cdk-lib.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  // ElectroDB validates every entity model against JSON schemas when it is built (docs/architecture.md
  // "Cold starts"): off in the bundles, on in tests and locally, where a bad model fails first.
  jsonschema: './infra/bundling/jsonschema-off.ts',
  // The SDK's default credential chain: the environment's credentials only, as Lambda gives them.
  '@aws-sdk/credential-provider-node': './infra/bundling/credentials-from-env.ts',
  // The X-Ray SDK's two `semver.gte` checks (the Powertools Tracer's): a few lines instead of semver.
  semver: './infra/bundling/semver-gte.ts',
};

/** The same, as NodejsFunction's `esbuildArgs` wants them: `--alias:from=to`, one per entry. */
export const LAMBDA_ALIAS_ARGS: string[] = Object.entries(LAMBDA_ALIASES).map(([from, to]) => `${from}=${to}`);
