import { Anchor, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import type { User } from './queries';
import { UserStatusBadge } from './UserStatusBadge';

/** The account's users: each name opens the user. */
export function UsersTable({ users }: { users: User[] }) {
  const { t } = useTranslation('users');
  const fmt = useFormat();
  return (
    <Table.ScrollContainer minWidth={720} type="native" tabIndex={0} role="region" aria-label={t('list.tableLabel')}>
      <Table striped highlightOnHover aria-label={t('list.tableLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('list.name')}</Table.Th>
            <Table.Th scope="col">{t('list.login')}</Table.Th>
            <Table.Th scope="col">{t('list.role')}</Table.Th>
            <Table.Th scope="col">{t('list.status')}</Table.Th>
            <Table.Th scope="col">{t('list.lastLogin')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                <Anchor fw={500} renderRoot={(props) => <Link to="/users/$userId" params={{ userId: u.id }} {...props} />}>
                  {u.firstName} {u.lastName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-all' }}>
                  {u.login}
                </Text>
              </Table.Td>
              <Table.Td>{t(`role.${u.role}`, { ns: 'common' })}</Table.Td>
              <Table.Td>
                <UserStatusBadge status={u.status} />
              </Table.Td>
              <Table.Td>{u.lastLoginAt ? fmt.dateTime(u.lastLoginAt) : t('list.never')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
