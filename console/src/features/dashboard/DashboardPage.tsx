import { Skeleton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { personaOf, useMe } from '../../api/me';
import { PageHeader } from '../../ui/PageHeader';
import { CustomerAdminDashboard } from './CustomerAdminDashboard';
import { CustomerUserLanding } from './CustomerUserLanding';
import { StaffLanding } from './StaffLanding';

/**
 * The landing screen at `/`, by persona: the customer admin's dashboard (a tile per purchased
 * service, orders under way, invoices to pay), the customer user's own licenses, and the staff's
 * way into the order queue.
 */
export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const me = useMe();
  if (!me.data) {
    return (
      <>
        <PageHeader title={t('title')} />
        <Skeleton h={160} aria-label={t('loading')} />
      </>
    );
  }
  switch (personaOf(me.data)) {
    case 'customerAdmin':
      return <CustomerAdminDashboard accountId={me.data.accountId} />;
    case 'customerUser':
      return <CustomerUserLanding me={me.data} />;
    default:
      return <StaffLanding me={me.data} />;
  }
}
