import { Alert, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../ui/links';
import { useAccount } from './queries';

/**
 * On a screen staff opened for one customer (`?accountId=`): whose data it shows, and the way
 * back to that customer's page. Nothing without an account.
 */
export function AccountScope({ accountId }: { accountId: string | undefined }) {
  const { t } = useTranslation('customers');
  const account = useAccount(accountId);
  if (!accountId) return null;
  return (
    <Alert color="blue" variant="light" p="sm" mb="md" role="note" aria-label={t('scope.label')}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">{account.data ? t('scope.viewing', { name: account.data.name }) : t('state.loading', { ns: 'common' })}</Text>
        <AnchorLink size="sm" fw={500} to="/customers/$accountId" params={{ accountId }}>
          {t('scope.back')}
        </AnchorLink>
      </Group>
    </Alert>
  );
}
