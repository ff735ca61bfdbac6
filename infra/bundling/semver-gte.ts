/**
 * Stands in for `semver` in the Lambda bundles (see aliases.ts). The Powertools Tracer's X-Ray SDK
 * (aws-xray-sdk-core and its cls-hooked) imports the whole of semver (~29 KB minified) for two
 * version checks, both `gte`: the Node version (cls-hooked) and the AWS SDK v2's (a patcher the v3
 * clients never reach). Nothing else in the bundles imports semver. This `gte` compares plain
 * `major.minor.patch` versions, what both checks pass; a pre-release or build suffix is ignored.
 */
const parts = (version: string): number[] =>
  String(version)
    .replace(/^v/, '')
    .split(/[-+]/)[0]!
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);

export function gte(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

export default { gte };
