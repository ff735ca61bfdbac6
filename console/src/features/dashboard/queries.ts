import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components } from '../../api/schema';

export type AccountOverview = components['schemas']['AccountOverview'];
export type Subscription = components['schemas']['Subscription'];
export type Order = components['schemas']['Order'];
export type MyLicense = components['schemas']['MyLicense'];

export const dashboardKeys = {
  overview: (accountId: string) => ['accounts', accountId, 'overview'] as const,
  myLicenses: ['me', 'licenses'] as const,
};

/** The customer admin's dashboard: subscriptions, orders under way and what is owed, in one request. */
export function useAccountOverview(accountId: string | undefined) {
  return useQuery({
    queryKey: dashboardKeys.overview(accountId ?? ''),
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/overview', { params: { path: { accountId: accountId! } } })),
    enabled: Boolean(accountId),
  });
}

/** The licenses assigned to the signed-in user (the customer user's landing). */
export function useMyLicenses(enabled: boolean) {
  return useQuery({
    queryKey: dashboardKeys.myLicenses,
    queryFn: () => unwrap(api.GET('/v1/me/licenses')),
    enabled,
  });
}
