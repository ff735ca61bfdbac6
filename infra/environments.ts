import type { App, Environment } from 'aws-cdk-lib';

/**
 * Deployment environments (`dev`, `prod`): cdk.json's `context.environments`, one entry each,
 * chosen with `-c env=<name>` (`dev` when not given: `cdk synth`, the tests, a developer's
 * deploy). An environment holds what differs between deployments (account, region, addresses,
 * sender, alarm email, tags); everything else stays a plain top-level context key shared by all.
 *
 * A top-level context value of the same name (`-c portalUrl=...`) wins over the environment's, so
 * a value can be overridden for one synth. cdk.json itself must not carry such a key at the top
 * level as well: that would silently win over every environment (`buildApp` refuses it).
 */
export interface EnvironmentSettings {
  /** The 12-digit account the stacks deploy to; empty in dev = whatever account the credentials are for. */
  readonly account?: string;
  readonly region?: string;
  /** Where emails link to when there is no custom domain (infra/app.ts `readConfig`). */
  readonly portalUrl?: string;
  readonly consoleDomainName?: string;
  readonly consoleCertificateArn?: string;
  readonly emailFrom?: string;
  readonly emailFromIdentity?: string;
  /** Subscribed (email) to every alarm topic. */
  readonly alarmEmail?: string;
  /** Tag `owner` on every resource: the team that answers the alarms. */
  readonly owner?: string;
  /** Tag `cost-center` on every resource. */
  readonly costCenter?: string;
  /**
   * After a point-in-time restore, the table the stacks run on (infra/stacks/data-stack.ts
   * `restoredTable`). Kept here rather than only as `-c` so the deploy workflow's next run stays
   * on the restored table.
   */
  readonly restoredTableName?: string;
  readonly restoredTableStreamArn?: string;
}

/** The keys an environment may set; anything else in an environment entry is refused (a typo). */
export const ENVIRONMENT_KEYS = [
  'account',
  'region',
  'portalUrl',
  'consoleDomainName',
  'consoleCertificateArn',
  'emailFrom',
  'emailFromIdentity',
  'alarmEmail',
  'owner',
  'costCenter',
  'restoredTableName',
  'restoredTableStreamArn',
] as const satisfies readonly (keyof EnvironmentSettings)[];
type EnvironmentKey = (typeof ENVIRONMENT_KEYS)[number];

/** Environments whose values must be real even for a plain synth. */
const ALWAYS_STRICT = new Set(['prod']);

/** The keys a deployable environment must set (consoleDomainName + certificate are optional). */
const REQUIRED: readonly EnvironmentKey[] = ['account', 'region', 'emailFrom', 'alarmEmail', 'owner', 'costCenter'];

/**
 * Values that only stand in for the real ones: documentation domains (RFC 2606 / 6761), the
 * documentation account ids, and anything saying REPLACE. They are fine for tests and local
 * synths, never for a deployment.
 */
const PLACEHOLDER =
  /(^|[.@/])example\.(com|org|net)\b|\.(example|invalid|test|localhost)\b|\b(123456789012|111111111111|000000000000)\b|replace|changeme|todo/i;

export interface SelectedEnvironment {
  readonly name: string;
  /** True when every value was checked to be real (prod always, any environment with `-c strictConfig=true`). */
  readonly strict: boolean;
  /** Account and region when the environment names a real account; else undefined (environment-agnostic stacks). */
  readonly env?: Environment;
  readonly alarmEmail?: string;
  /** Tags put on every resource of every stack. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Selects the environment, refuses placeholder values where they must be real, and makes its
 * values the context of the app (unless a top-level value of the same name was given), so the
 * readers of plain context keys (`readConfig`, `readConsoleConfig`) see them. Must run before
 * the first stack is added to the app.
 */
export function applyEnvironment(app: App, cdkJsonContext: Record<string, unknown> = {}): SelectedEnvironment {
  const environments = app.node.tryGetContext('environments') as Record<string, unknown> | undefined;
  if (environments === undefined || environments === null || typeof environments !== 'object') {
    throw new Error('context environments is missing: cdk.json needs "environments": { "dev": {...}, "prod": {...} }');
  }
  const name = String(app.node.tryGetContext('env') ?? 'dev');
  const entry = environments[name];
  if (entry === undefined || entry === null || typeof entry !== 'object') {
    throw new Error(`context env=${name}: no such environment (cdk.json environments: ${Object.keys(environments).join(', ')})`);
  }
  const unknown = Object.keys(entry).filter((key) => !(ENVIRONMENT_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new Error(`environment ${name}: unknown keys ${unknown.join(', ')} (allowed: ${ENVIRONMENT_KEYS.join(', ')})`);
  for (const env of Object.values(environments) as Record<string, unknown>[]) {
    const shadowed = Object.keys(env).filter((key) => key in cdkJsonContext);
    if (shadowed.length > 0) {
      throw new Error(`cdk.json sets ${shadowed.join(', ')} both at the top level and in an environment: keep them in the environments only`);
    }
  }

  const settings: Partial<Record<EnvironmentKey, string>> = {};
  for (const key of ENVIRONMENT_KEYS) {
    const override: unknown = app.node.tryGetContext(key);
    const value: unknown = override ?? (entry as Record<string, unknown>)[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new Error(`environment ${name}: ${key} must be a string`);
    settings[key] = value;
  }

  const strict = ALWAYS_STRICT.has(name) || String(app.node.tryGetContext('strictConfig')) === 'true';
  const problems = [
    ...REQUIRED.filter((key) => settings[key] === undefined).map((key) => `${key} is not set`),
    ...ENVIRONMENT_KEYS.filter((key) => settings[key] !== undefined && PLACEHOLDER.test(settings[key])).map(
      (key) => `${key} is a placeholder (${settings[key]})`,
    ),
    ...(settings.account !== undefined && !/^\d{12}$/.test(settings.account) ? [`account ${settings.account} is not a 12-digit account id`] : []),
    ...(settings.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(settings.region) ? [`region ${settings.region} is not a region`] : []),
    ...(settings.consoleDomainName === undefined && settings.portalUrl === undefined ? ['neither consoleDomainName nor portalUrl is set'] : []),
  ];
  if (strict && problems.length > 0) {
    throw new Error(
      `environment ${name} cannot be deployed as configured (cdk.json environments.${name}, or -c key=value):\n  - ${problems.join('\n  - ')}`,
    );
  }

  // Only context keys no child has read yet can be set: this runs before the first stack.
  for (const [key, value] of Object.entries(settings)) {
    if (app.node.tryGetContext(key) === undefined) app.node.setContext(key, value);
  }

  const realAccount = settings.account !== undefined && /^\d{12}$/.test(settings.account) && !PLACEHOLDER.test(settings.account);
  return {
    name,
    strict,
    env: realAccount && settings.region ? { account: settings.account, region: settings.region } : undefined,
    alarmEmail: settings.alarmEmail,
    tags: {
      app: String(app.node.tryGetContext('serviceName') ?? 'cloud-license-portal'),
      environment: name,
      ...(settings.owner ? { owner: settings.owner } : {}),
      ...(settings.costCenter ? { 'cost-center': settings.costCenter } : {}),
    },
  };
}
