import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import type { User } from './queries';
import { UserStatusBadge } from './UserStatusBadge';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <div style={{ overflowWrap: 'anywhere' }}>{children}</div>
    </div>
  );
}

/** A postal address on its lines, the country named in the reader's language. */
export function AddressLines({ address }: { address: NonNullable<User['address']> }) {
  const { i18n } = useTranslation();
  const country = new Intl.DisplayNames([i18n.language], { type: 'region' }).of(address.country) ?? address.country;
  return (
    <Text component="address" fs="normal">
      {address.line1}
      <br />
      {address.line2 ? (
        <>
          {address.line2}
          <br />
        </>
      ) : null}
      {address.postalCode} {address.city}
      {address.state ? `, ${address.state}` : ''}
      <br />
      {country}
    </Text>
  );
}

/** What the portal keeps about a user. */
export function UserDetails({ user }: { user: User }) {
  const { t } = useTranslation('users');
  const fmt = useFormat();
  const none = t('state.none', { ns: 'common' });
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="sm">
        {t('detail.details')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Item label={t('detail.status')}>
          <Stack gap={4} align="flex-start">
            <UserStatusBadge status={user.status} />
            <Text size="sm">{t(`detail.statusHelp.${user.status}`)}</Text>
          </Stack>
        </Item>
        <Item label={t('detail.role')}>
          <Text>{t(`role.${user.role}`, { ns: 'common' })}</Text>
        </Item>
        <Item label={t('detail.login')}>
          <Text>{user.login}</Text>
        </Item>
        <Item label={t('detail.notificationEmail')}>
          <Text>{user.notificationEmail}</Text>
        </Item>
        <Item label={t('detail.locale')}>
          <Text>{t(`language.${user.locale}`, { ns: 'common' })}</Text>
        </Item>
        <Item label={t('detail.phone')}>
          <Text>{user.phone ?? none}</Text>
        </Item>
        <Item label={t('detail.address')}>{user.address ? <AddressLines address={user.address} /> : <Text>{none}</Text>}</Item>
        <Item label={t('detail.createdAt')}>
          <Text>{fmt.dateTime(user.createdAt)}</Text>
        </Item>
        <Item label={t('detail.lastLogin')}>
          <Text>{user.lastLoginAt ? fmt.dateTime(user.lastLoginAt) : t('list.never')}</Text>
        </Item>
      </SimpleGrid>
    </Paper>
  );
}
