import { resolve } from 'node:path';

/**
 * The settings of docs/product.md#what-npm-start-runs, each from the environment with a printed default.
 */
export interface LocalConfig {
  port: number;
  dataDir: string;
  adminLogin: string;
  adminPassword: string;
  adminPasswordFromEnv: boolean;
  seedDemo: boolean;
  dynamodbPort: number;
  sesPort: number;
  sfnPort: number;
  host: string;
  region: string;
  tableName: string;
  /** Wait states of the workflow, shortened locally (ms). */
  vendorPollMs: number;
  quiet: boolean;
  /** The edge's per-client rate limits (the WAF rate rules of AWS) in the gateway: local/edge-limits.ts. */
  edgeRateLimits: boolean;
}

export const DEFAULTS = {
  PORT: '3000',
  LOCAL_DATA_DIR: '.local',
  LOCAL_ADMIN_LOGIN: 'admin@distributor.example.com',
  LOCAL_ADMIN_PASSWORD: 'Distributor-Admin-2027',
  LOCAL_SEED_DEMO: 'true',
  DYNAMODB_PORT: '8000',
  SES_PORT: '8005',
  SFN_PORT: '8083',
  // On for `npm start`, as the WAF is in AWS; the test stacks turn it off (all their requests come from one address).
  EDGE_RATE_LIMITS: 'true',
} as const;

type Setting = keyof typeof DEFAULTS;

function setting(name: Setting): string {
  return process.env[name] || DEFAULTS[name];
}

function port(name: Setting): number {
  const value = Number(setting(name));
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, got "${setting(name)}"`);
  return value;
}

export function readConfig(): LocalConfig {
  return {
    port: port('PORT'),
    dataDir: resolve(setting('LOCAL_DATA_DIR')),
    adminLogin: setting('LOCAL_ADMIN_LOGIN'),
    adminPassword: setting('LOCAL_ADMIN_PASSWORD'),
    adminPasswordFromEnv: Boolean(process.env.LOCAL_ADMIN_PASSWORD),
    seedDemo: setting('LOCAL_SEED_DEMO') !== 'false',
    dynamodbPort: port('DYNAMODB_PORT'),
    sesPort: port('SES_PORT'),
    sfnPort: port('SFN_PORT'),
    host: '127.0.0.1',
    region: 'us-east-1',
    tableName: process.env.TABLE_NAME || 'cloud-license-portal',
    vendorPollMs: Number(process.env.LOCAL_VENDOR_POLL_MS ?? '200'),
    quiet: process.env.LOCAL_QUIET === 'true',
    edgeRateLimits: setting('EDGE_RATE_LIMITS') !== 'false',
  };
}

/** Which settings came from the environment and which are defaults, for the start banner. */
export function describeSettings(): Array<{ name: Setting; value: string; isDefault: boolean }> {
  return (Object.keys(DEFAULTS) as Setting[]).map((name) => ({
    name,
    value: name === 'LOCAL_ADMIN_PASSWORD' && process.env[name] ? '(set)' : setting(name),
    isDefault: !process.env[name],
  }));
}
