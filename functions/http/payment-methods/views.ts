import type * as z from 'zod/mini';
import type { PaymentMethod } from '#data/payment-methods.ts';
import type { PaymentMethodSchema } from './schemas.ts';

/** The payment method as the API shows it (docs/product.md#field-names-clients-rely-on): never the gateway token. */
export function paymentMethodView(m: PaymentMethod): z.output<typeof PaymentMethodSchema> {
  return {
    id: m.id,
    accountId: m.accountId,
    type: m.type,
    brand: m.brand ?? null,
    last4: m.last4 ?? null,
    expMonth: m.expMonth ?? null,
    expYear: m.expYear ?? null,
    holderName: m.holderName ?? null,
    billingAddress: (m.billingAddress as z.output<typeof PaymentMethodSchema>['billingAddress'] | undefined) ?? null,
    isDefault: m.isDefault,
    createdAt: m.createdAt,
    version: m.version,
  };
}
