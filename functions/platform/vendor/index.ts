import { env } from '../env.ts';
import { TransientError } from '../errors.ts';
import { VendorTransientError } from './port.ts';
import type { Vendor } from './port.ts';
import { SandboxVendor } from './sandbox.ts';

export * from './port.ts';

let vendor: Vendor | undefined;

/** The configured vendor adapter (docs/product.md#how-it-is-built-fixed-choices: selectable by configuration; only the sandbox ships). */
export function getVendor(): Vendor {
  if (!vendor) {
    const name = env.vendor();
    if (name !== 'sandbox') throw new Error(`Unknown VENDOR "${name}": only "sandbox" ships with this build.`);
    vendor = new SandboxVendor();
  }
  return vendor;
}

/** On the HTTP path a vendor timeout or throttle is a 503 `try_again`, never a guess either way. */
export async function askVendor<T>(call: (vendor: Vendor) => Promise<T>): Promise<T> {
  try {
    return await call(getVendor());
  } catch (err) {
    if (err instanceof VendorTransientError) throw new TransientError(err.message);
    throw err;
  }
}
