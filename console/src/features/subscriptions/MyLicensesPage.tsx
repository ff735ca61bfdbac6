import { Skeleton, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { StatusBadge } from './labels';
import { useMyLicenses } from './queries';

/** The licenses assigned to the signed-in user: one row per subscription. */
export function MyLicensesPage() {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const licenses = useMyLicenses();
  const items = licenses.data?.items ?? [];

  return (
    <>
      <PageHeader title={t('mine.title')} />
      <Stack>
        <ErrorAlert error={licenses.error} />
        {licenses.isPending ? (
          <Skeleton h={64} />
        ) : items.length === 0 && !licenses.error ? (
          <Text>{t('mine.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-label={t('mine.tableLabel')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mine.product')}</Table.Th>
                  <Table.Th>{t('mine.sku')}</Table.Th>
                  <Table.Th>{t('mine.domain')}</Table.Th>
                  <Table.Th>{t('mine.status')}</Table.Th>
                  <Table.Th>{t('mine.assignedAt')}</Table.Th>
                  <Table.Th>{t('mine.termEnd')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((l) => (
                  <Table.Tr key={l.subscriptionId}>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td>{l.sku}</Table.Td>
                    <Table.Td>{l.domain}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={l.status} />
                    </Table.Td>
                    <Table.Td>{f.date(l.assignedAt)}</Table.Td>
                    <Table.Td>{f.date(l.currentTermEnd)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </>
  );
}
