import { Alert, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { ButtonLink } from '../../ui/links';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { useAccountOverview } from './queries';
import { ServiceTile } from './ServiceTile';
import { OpenOrdersCard, UnpaidInvoicesCard } from './SummaryCards';

/** The customer admin's dashboard: everything from one request (GET /v1/accounts/{id}/overview). */
export function CustomerAdminDashboard({ accountId }: { accountId: string }) {
  const { t } = useTranslation('dashboard');
  const overview = useAccountOverview(accountId);
  const data = overview.data;
  return (
    <>
      <PageHeader title={t('title')} />
      {overview.error ? (
        <ErrorAlert error={overview.error} />
      ) : !data ? (
        <Stack aria-busy="true" aria-label={t('loading')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Skeleton h={140} />
            <Skeleton h={140} />
          </SimpleGrid>
          <Skeleton h={200} />
        </Stack>
      ) : (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <OpenOrdersCard openOrders={data.openOrders} />
            <UnpaidInvoicesCard unpaid={data.unpaidInvoices} />
          </SimpleGrid>
          <Stack gap="sm" component="section" aria-labelledby="services-title">
            <Title order={2} size="h3" id="services-title">
              {t('services.title')}
            </Title>
            {data.subscriptions.length ? (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                {data.subscriptions.map((s) => (
                  <ServiceTile key={s.id} subscription={s} />
                ))}
              </SimpleGrid>
            ) : (
              <Alert color="blue" variant="light" title={t('services.emptyTitle')}>
                <Stack gap="sm" align="flex-start">
                  <Text size="sm">{t('services.emptyBody')}</Text>
                  <ButtonLink to="/marketplace" search={{}}>
                    {t('services.toMarketplace')}
                  </ButtonLink>
                </Stack>
              </Alert>
            )}
          </Stack>
        </Stack>
      )}
    </>
  );
}
