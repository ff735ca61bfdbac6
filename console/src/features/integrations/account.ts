import { personaOf, useMe } from '../../api/me';

/** The account whose integrations a screen shows: staff admins name one below theirs with `?accountId=`, else their own. */
export function useIntegrationsAccount(searchAccountId: string | undefined) {
  const me = useMe();
  const persona = me.data ? personaOf(me.data) : undefined;
  const staff = persona === 'staffAdmin' || persona === 'staffUser';
  const accountId = staff ? (searchAccountId ?? me.data?.accountId) : me.data?.accountId;
  return { me, accountId, other: staff && !!searchAccountId && searchAccountId !== me.data?.accountId, canManage: me.data?.role === 'admin' };
}
