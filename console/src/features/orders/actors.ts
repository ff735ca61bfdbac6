import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import type { Actor } from './queries';

const SYSTEMS = ['order-workflow', 'renewals-job', 'billing-job', 'dunning-job', 'payments'] as const;
type System = (typeof SYSTEMS)[number];

/**
 * Who moved an order, in words. Staff read the person's name (else its id) or the part of the
 * system that acted; a customer reads "you", "another user", "your provider" or "automatic processing".
 */
export function useActorLabel(staff: boolean): (actor: Actor) => string {
  const { t } = useTranslation('orders');
  const me = useMe();
  return (actor) => {
    if (!staff) {
      if (actor.system) return t('tracking.bySystem');
      if (actor.userId && actor.userId === me.data?.id) return t('tracking.byYou');
      return me.data?.accountType === 'customer' && actor.userId ? t('tracking.byUser') : t('tracking.byStaff');
    }
    if (actor.system) return (SYSTEMS as readonly string[]).includes(actor.system) ? t(`staff.actor.system.${actor.system as System}`) : t('staff.actor.systemOther', { system: actor.system });
    const who = actor.name ?? (actor.userId && actor.userId === me.data?.id ? t('tracking.byYou') : actor.userId) ?? '—';
    return actor.onBehalfOf ? t('staff.actor.onBehalfOf', { who, id: actor.onBehalfOf }) : who;
  };
}
