/**
 * Configuration read from the environment, the same way in Lambda and locally. Read lazily so a
 * process can set its environment before the first use.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: ${name}`);
  return value;
}

export const env = {
  tableName: () => required('TABLE_NAME'),
  stateMachineArn: () => required('STATE_MACHINE_ARN'),
  emailFrom: () => process.env.EMAIL_FROM ?? 'no-reply@portal.example.com',
  portalUrl: () => process.env.PORTAL_URL ?? 'http://localhost:3000',
  /** Which vendor adapter provisions: only `sandbox` ships; a real one plugs in behind the same port. */
  vendor: () => process.env.VENDOR ?? 'sandbox',
  /** Share of sandbox vendor calls that fail transiently (0–1), to exercise retries. */
  sandboxVendorTransientFailureRate: () => Number(process.env.SANDBOX_VENDOR_TRANSIENT_FAILURE_RATE ?? '0'),
  /** Webhook URLs may be `http:` (the local stack sets it; never in AWS, where they must be https). */
  webhooksAllowHttp: () => process.env.WEBHOOKS_ALLOW_HTTP === 'true',
  /** Webhook URLs may reach private, loopback and link-local addresses (the local stack sets it; never in AWS: SSRF). */
  webhooksAllowPrivateNetworks: () => process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS === 'true',
};
