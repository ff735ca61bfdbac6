import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { AddressLines } from '../users/UserDetails';
import type { Account } from './queries';

export function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="sm" fw={600}>
        {label}
      </Text>
      <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

/**
 * What the account is: its type, the account above it (a link when the caller sees it
 * as another account of its scope), when it was created, its address and who accepted the
 * Microsoft Customer Agreement, when.
 */
export function AccountSummary({ account, parent, parentIsOwn }: { account: Account; parent: Account | undefined; parentIsOwn: boolean }) {
  const { t } = useTranslation('customers');
  const fmt = useFormat();
  const none = t('state.none', { ns: 'common' });
  const agreement = account.customerAgreement;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="account-summary">
      <Title order={2} size="h4" mb="sm" id="account-summary">
        {t('account.summary')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" component="dl" m={0}>
        <Item label={t('account.type')}>{t(`type.${account.type}`)}</Item>
        <Item label={t('account.parent')}>
          {!parent ? (
            none
          ) : parentIsOwn || parent.type === 'distributor' ? (
            parent.name
          ) : (
            <AnchorLink to="/customers/$accountId" params={{ accountId: parent.id }}>
              {parent.name}
            </AnchorLink>
          )}
        </Item>
        <Item label={t('account.created')}>{fmt.dateTime(account.createdAt)}</Item>
        <Item label={t('account.address')}>{account.address ? <AddressLines address={account.address} /> : none}</Item>
        {account.type === 'customer' ? (
          <Item label={t('account.agreement')}>
            {agreement
              ? t('account.agreementAccepted', { name: `${agreement.firstName} ${agreement.lastName}`, email: agreement.email, date: fmt.dateTime(agreement.acceptedAt) })
              : t('account.agreementNone')}
          </Item>
        ) : null}
      </SimpleGrid>
    </Paper>
  );
}
