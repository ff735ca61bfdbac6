import { useMe } from '../../api/me';
import { useAccount } from '../customers/queries';

/**
 * Self-service as the signed-in person sees it (docs/product.md#self-service-subscriptions): whether
 * it is a customer `user` (a buyer of its own), and whether its account allows self-service
 * purchases (the switch its provider sets) and for which products (the list its admins keep).
 */
export function useSelfService() {
  const me = useMe();
  const customer = me.data?.accountType === 'customer';
  const account = useAccount(customer ? me.data?.accountId : undefined);
  const settings = account.data?.settings;
  return {
    buyer: customer && me.data?.role === 'user',
    allowed: settings?.allowSelfServicePurchases === true,
    products: settings?.selfServiceProducts ?? [],
    account,
  };
}
