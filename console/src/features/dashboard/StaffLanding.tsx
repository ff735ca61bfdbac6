import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { AnchorLink } from '../../ui/links';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/me';
import { PageHeader } from '../../ui/PageHeader';

/** Distributor and reseller staff: the way into the order queue, by the gate an order waits at (no request of its own). */
export function StaffLanding({ me }: { me: Me }) {
  const { t } = useTranslation('dashboard');
  return (
    <>
      <PageHeader title={t('staff.title', { name: me.firstName })} />
      <Stack gap="md">
        <Text>{t('staff.intro')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Card withBorder padding="md" radius="md" component="section" aria-labelledby="staff-new-title">
            <Stack gap="xs">
              <Title order={2} size="h4" id="staff-new-title">
                {t('staff.newTitle')}
              </Title>
              <Text size="sm">{t('staff.newBody')}</Text>
              <AnchorLink to="/orders" search={{ status: 'new' }} size="sm">
                {t('staff.newLink')}
              </AnchorLink>
            </Stack>
          </Card>
          <Card withBorder padding="md" radius="md" component="section" aria-labelledby="staff-open-title">
            <Stack gap="xs">
              <Title order={2} size="h4" id="staff-open-title">
                {t('staff.openTitle')}
              </Title>
              <Text size="sm">{t('staff.openBody')}</Text>
              <AnchorLink to="/orders" search={{ status: 'open' }} size="sm">
                {t('staff.openLink')}
              </AnchorLink>
            </Stack>
          </Card>
          <Card withBorder padding="md" radius="md" component="section" aria-labelledby="staff-all-title">
            <Stack gap="xs">
              <Title order={2} size="h4" id="staff-all-title">
                {t('staff.allTitle')}
              </Title>
              <Text size="sm">{t('staff.allBody')}</Text>
              <AnchorLink to="/orders" search={{}} size="sm">
                {t('staff.allLink')}
              </AnchorLink>
            </Stack>
          </Card>
        </SimpleGrid>
      </Stack>
    </>
  );
}
