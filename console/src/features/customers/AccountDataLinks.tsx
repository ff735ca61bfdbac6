import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { NavLinkTo } from './links';
import type { Account } from './queries';

/**
 * The account's data as its own admins see them, each screen opened for this account
 * (`?accountId=`): for a customer its users, subscriptions, domains, orders, invoices and audit
 * trail; for a reseller its users, its customers, its price lists and its audit trail; for both the
 * price sheet (what the account pays, with the figures the caller may see).
 */
export function AccountDataLinks({ account }: { account: Account }) {
  const { t } = useTranslation('customers');
  const accountId = account.id;
  // The account's API clients and webhooks are for admins (staff users are refused them).
  const admin = useMe().data?.role === 'admin';
  // Each a bordered tile whose label reads as a link (blue, as the console's anchors).
  const common = {
    styles: {
      root: { border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-sm)', height: '100%' },
      label: { color: 'var(--mantine-color-blue-8)', fontWeight: 600 },
    },
  };

  return (
    <Paper withBorder p="md" radius="md" component="nav" aria-labelledby="account-data">
      <Title order={2} size="h4" id="account-data">
        {account.type === 'customer' ? t('data.customerTitle') : t('data.resellerTitle')}
      </Title>
      <Text size="sm" mb="sm">
        {t('data.intro')}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="xs">
        <NavLinkTo {...common} to="/users" search={{ accountId }} label={t('data.users')} description={t('data.usersHint')} />
        {account.type === 'customer' ? (
          <>
            <NavLinkTo {...common} to="/subscriptions" search={{ accountId }} label={t('data.subscriptions')} description={t('data.subscriptionsHint')} />
            <NavLinkTo {...common} to="/domains" search={{ accountId }} label={t('data.domains')} description={t('data.domainsHint')} />
            <NavLinkTo {...common} to="/orders" search={{ accountId }} label={t('data.orders')} description={t('data.ordersHint')} />
            <NavLinkTo {...common} to="/billing/invoices" search={{ accountId }} label={t('data.invoices')} description={t('data.invoicesHint')} />
          </>
        ) : (
          <>
            <NavLinkTo {...common} to="/customers" search={{ parentId: accountId }} label={t('data.customers')} description={t('data.customersHint')} />
            <NavLinkTo {...common} to="/price-lists" search={{ accountId }} label={t('data.priceLists')} description={t('data.priceListsHint')} />
          </>
        )}
        <NavLinkTo {...common} to="/customers/$accountId/prices" params={{ accountId }} search={{}} label={t('data.prices')} description={t('data.pricesHint')} />
        <NavLinkTo {...common} to="/customers/$accountId/audit" params={{ accountId }} label={t('data.audit')} description={t('data.auditHint')} />
        {admin ? (
          <>
            <NavLinkTo {...common} to="/api-clients" search={{ accountId }} label={t('data.apiClients')} description={t('data.apiClientsHint')} />
            <NavLinkTo {...common} to="/webhooks" search={{ accountId }} label={t('data.webhooks')} description={t('data.webhooksHint')} />
          </>
        ) : null}
      </SimpleGrid>
    </Paper>
  );
}
