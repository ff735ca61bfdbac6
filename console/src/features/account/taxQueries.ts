import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type TaxProfile = components['schemas']['TaxProfile'];
export type TaxProfileBody = operations['putTaxProfile']['requestBody']['content']['application/json'];

const key = (accountId: string) => ['accounts', accountId, 'tax-profile'] as const;

/** An account's tax profile (`profile: null` until set), for anyone with the account in scope. */
export function useTaxProfile(accountId: string | undefined) {
  return useQuery({
    queryKey: key(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/tax-profile', { params: { path: { accountId: accountId! } } })),
  });
}

/** Sets the profile whole (an admin of the account or a staff admin above it); the answer is shown at once. */
export function usePutTaxProfile(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TaxProfileBody) => unwrap(api.PUT('/v1/accounts/{accountId}/tax-profile', { params: { path: { accountId } }, body })),
    onSuccess: (answer) => queryClient.setQueryData(key(accountId), answer),
  });
}
