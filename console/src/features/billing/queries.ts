import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';

export type PaymentMethod = components['schemas']['PaymentMethod'];

export const paymentMethodsKey = (accountId: string) => ['accounts', accountId, 'payment-methods'] as const;

/** The account's payment methods (one page holds them all: an account keeps only a few). */
export function usePaymentMethods(accountId: string | undefined) {
  return useQuery({
    queryKey: paymentMethodsKey(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/payment-methods', { params: { path: { accountId: accountId! }, query: { limit: 100 } } })),
  });
}

/** Saves a card by the gateway's token (never its number). */
export function useAddPaymentMethod(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; holderName: string; setDefault: boolean }) =>
      unwrap(api.POST('/v1/accounts/{accountId}/payment-methods', { params: { path: { accountId } }, body: { type: 'card', ...body } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: paymentMethodsKey(accountId) }),
  });
}
