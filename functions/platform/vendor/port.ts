/**
 * What the application needs from the vendor (Microsoft Partner Center, or the sandbox of
 * docs/product.md#sandboxes-and-their-magic-values). A real adapter implements the same interface; nothing else changes.
 */
export interface Company {
  name: string;
  address: { line1: string; city: string; postalCode: string; country: string };
  contact: { firstName: string; lastName: string; email: string; phone?: string };
}

export interface VendorItem {
  sku: string;
  quantity: number;
  action: 'create' | 'update' | 'cancel';
  subscriptionId: string;
}

export type VendorRequestStatus =
  | { status: 'in_progress' }
  | { status: 'succeeded' }
  | { status: 'failed'; reason: string };

export interface Vendor {
  /** Whether `<prefix>.onmicrosoft.com` can be created. */
  isDomainAvailable(prefix: string): Promise<boolean>;
  /** Creates the tenant; idempotent for the same domain and company. */
  createTenant(input: { prefix: string; company: Company }): Promise<{ tenantId: string; domain: string; adminLogin: string; adminPassword: string }>;
  /**
   * Whether the vendor approves a tenant to be created for `qualification` (education, nonprofit,
   * government: docs/product.md#trials-and-qualifications); `reason` says why not.
   */
  verifyQualification(input: { prefix: string; company: Company; qualification: string }): Promise<{ approved: boolean; reason?: string }>;
  /** An existing tenant: who its partner is (`self`: this provider), or undefined when there is none. */
  getTenant(domain: string): Promise<{ tenantId: string; partner: 'self' | 'other' } | undefined>;
  /** Submits subscription changes for a tenant; `reference` makes the call idempotent. */
  submit(input: { reference: string; tenantId: string; domain: string; items: VendorItem[] }): Promise<{ requestId: string }>;
  status(requestId: string): Promise<VendorRequestStatus>;
}

/** A failure the vendor says to retry (throttling, timeouts): workflows retry on this name. */
export class VendorTransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorTransientError';
  }
}

/** A refusal that retrying will not change. */
export class VendorPermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorPermanentError';
  }
}
