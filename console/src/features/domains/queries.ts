import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { components, operations } from '../../api/schema';

export type Domain = components['schemas']['Domain'];
export type DomainStatus = Domain['status'];
export type DomainBody = operations['addDomain']['requestBody']['content']['application/json'];
export type CreateDomainBody = Extract<DomainBody, { mode: 'create' }>;

const domainsKey = (accountId: string) => ['accounts', accountId, 'domains'] as const;
const accountKey = (accountId: string) => ['accounts', accountId, 'account'] as const;

/** The account's domains, each with the subscriptions on it and their license counts (one request). */
export function useDomains(accountId: string | undefined) {
  return useQuery({
    queryKey: domainsKey(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}/domains', { params: { path: { accountId: accountId! } } })),
  });
}

/** The account (its name and address prefill the company; whether the Customer Agreement is accepted). */
export function useAccount(accountId: string | undefined) {
  return useQuery({
    queryKey: accountKey(accountId ?? ''),
    enabled: !!accountId,
    queryFn: () => unwrap(api.GET('/v1/accounts/{accountId}', { params: { path: { accountId: accountId! } } })),
  });
}

export function useDomain(domainId: string) {
  return useQuery({
    queryKey: ['domains', domainId] as const,
    queryFn: () => unwrap(api.GET('/v1/domains/{domainId}', { params: { path: { domainId } } })),
  });
}

/** Whether `prefix`.onmicrosoft.com can be created (held by no one, here or at Microsoft). */
export function useAvailability() {
  return useMutation({
    mutationFn: (prefix: string) => unwrap(api.GET('/v1/domains/availability', { params: { query: { prefix } } })),
  });
}

/** A new tenant (answered with its admin credentials, once) or an existing one linked. */
export function useAddDomain(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DomainBody) => unwrap(api.POST('/v1/accounts/{accountId}/domains', { params: { path: { accountId } }, body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: domainsKey(accountId) });
      void qc.invalidateQueries({ queryKey: accountKey(accountId) });
    },
  });
}

/** The customer's admin accepts the partner relationship of a linked domain. */
export function useAcceptDomain() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (domain: Domain) => unwrap(api.POST('/v1/domains/{domainId}/accept', { params: { path: { domainId: domain.id }, header: { 'If-Match': ifMatch(domain)['if-match'] } } })),
    onSettled: (_d, _e, domain) => {
      void qc.invalidateQueries({ queryKey: domainsKey(domain.accountId) });
      void qc.invalidateQueries({ queryKey: ['domains', domain.id] });
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

/** Staff (and the customer's admins) send the partner invitation of a linked domain again; at most once a minute. */
export function useResendInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (domain: Domain) =>
      unwrap(api.POST('/v1/domains/{domainId}/invitation', { params: { path: { domainId: domain.id }, header: { 'If-Match': ifMatch(domain)['if-match'] } } })),
    onSettled: (_r, _e, domain) => {
      void qc.invalidateQueries({ queryKey: domainsKey(domain.accountId) });
      void qc.invalidateQueries({ queryKey: ['domains', domain.id] });
    },
  });
}
