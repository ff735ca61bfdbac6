import { Card, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { AnchorLink, ButtonLink } from '../../ui/links';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { useSelfService } from '../selfservice/queries';
import { useMyLicenses } from './queries';

/**
 * The customer user's landing: the licenses assigned to them (GET /v1/me/licenses) and, when the
 * account lets its users buy for themselves, the way to the marketplace (GET /v1/accounts/{id}, the
 * one read the menu's self-service entries share).
 */
export function CustomerUserLanding({ me }: { me: Me }) {
  const { t } = useTranslation('dashboard');
  const f = useFormat();
  const licenses = useMyLicenses(true);
  const { account, allowed: selfService } = useSelfService();
  return (
    <>
      <PageHeader title={t('user.title', { name: me.firstName })} />
      <Stack gap="lg">
        <Stack gap="sm" component="section" aria-labelledby="my-licenses-title">
          <Title order={2} size="h3" id="my-licenses-title">
            {t('user.licensesTitle')}
          </Title>
          {licenses.error ? (
            <ErrorAlert error={licenses.error} />
          ) : !licenses.data ? (
            <Skeleton h={120} aria-label={t('loading')} />
          ) : licenses.data.items.length ? (
            <Table.ScrollContainer minWidth={480}>
              <Table striped aria-label={t('user.tableLabel')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('user.product')}</Table.Th>
                    <Table.Th>{t('user.domain')}</Table.Th>
                    <Table.Th>{t('user.status')}</Table.Th>
                    <Table.Th>{t('user.termEnd')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {licenses.data.items.map((l) => (
                    <Table.Tr key={l.subscriptionId}>
                      <Table.Td>{l.name}</Table.Td>
                      <Table.Td>{l.domain}</Table.Td>
                      <Table.Td>{t(`status.${l.status}` as 'status.active', { defaultValue: l.status })}</Table.Td>
                      <Table.Td>{f.date(l.currentTermEnd)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Text>{t('user.none')}</Text>
          )}
          <AnchorLink to="/my-licenses" size="sm">
            {t('user.allLicenses')}
          </AnchorLink>
        </Stack>
        {account.error ? <ErrorAlert error={account.error} /> : null}
        {selfService ? (
          <Card withBorder padding="md" radius="md" component="section" aria-labelledby="self-service-title">
            <Stack gap="sm" align="flex-start">
              <Title order={2} size="h4" id="self-service-title">
                {t('user.buyTitle')}
              </Title>
              <Text size="sm">{t('user.buyBody')}</Text>
              <ButtonLink to="/marketplace" search={{}}>
                {t('user.toMarketplace')}
              </ButtonLink>
            </Stack>
          </Card>
        ) : null}
      </Stack>
    </>
  );
}
