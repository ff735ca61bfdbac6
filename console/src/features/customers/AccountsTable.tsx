import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { AccountStatusBadge } from './AccountStatusBadge';
import type { Account, ChildType } from './queries';

/**
 * Customers or resellers: each name ("Account name") opens the account. For the distributor's
 * customers, `parentName` names the reseller above each ('direct': the distributor's own customer;
 * undefined: not known yet).
 */
export function AccountsTable({ type, accounts, parentName }: { type: ChildType; accounts: Account[]; parentName?: (account: Account) => { id: string; name: string } | 'direct' | undefined }) {
  const { t } = useTranslation('customers');
  const fmt = useFormat();
  const label = type === 'customer' ? t('list.customersTable') : t('list.resellersTable');
  return (
    <Table.ScrollContainer minWidth={parentName ? 640 : 480} type="native" tabIndex={0} role="region" aria-label={label}>
      <Table striped highlightOnHover aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('list.name')}</Table.Th>
            {parentName ? <Table.Th scope="col">{t('list.reseller')}</Table.Th> : null}
            <Table.Th scope="col">{t('list.status')}</Table.Th>
            <Table.Th scope="col">{t('list.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((a) => {
            const parent = parentName?.(a);
            return (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <AnchorLink fw={500} to="/customers/$accountId" params={{ accountId: a.id }} style={{ overflowWrap: 'anywhere' }}>
                    {a.name}
                  </AnchorLink>
                </Table.Td>
                {parentName ? (
                  <Table.Td>
                    {parent === 'direct' ? (
                      <Text size="sm">{t('list.direct')}</Text>
                    ) : parent ? (
                      <AnchorLink to="/customers/$accountId" params={{ accountId: parent.id }} size="sm">
                        {parent.name}
                      </AnchorLink>
                    ) : (
                      <Text size="sm">{t('state.none', { ns: 'common' })}</Text>
                    )}
                  </Table.Td>
                ) : null}
                <Table.Td>
                  <AccountStatusBadge status={a.status} />
                </Table.Td>
                <Table.Td>{fmt.date(a.createdAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
