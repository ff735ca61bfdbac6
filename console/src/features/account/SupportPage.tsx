import { Anchor, Paper, SimpleGrid, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { Notice } from '../auth/Notice';

/**
 * Whom to ask for help: the support contact of the user's account, or of the nearest account
 * above it (the API decides; it comes with the `me` query the layout already holds).
 */
export function SupportPage() {
  const { t } = useTranslation('account');
  const me = useMe();
  if (me.error) return <ErrorAlert error={me.error} />;
  const support = me.data?.support;

  return (
    <Stack maw={720}>
      <PageHeader title={t('support.title')} />
      <Text>{t('support.intro')}</Text>
      {!me.data ? (
        <Skeleton h={120} />
      ) : !support ? (
        <Notice color="gray" role="status">
          {t('support.none')}
        </Notice>
      ) : (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="support-contact">
          <Stack>
            <Title order={2} size="h3" id="support-contact">
              {t('support.contact')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} component="dl" m={0}>
              {support.email ? (
                <div>
                  <Text component="dt" fw={600} size="sm">
                    {t('support.email')}
                  </Text>
                  <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
                    <Anchor href={`mailto:${support.email}`}>{support.email}</Anchor>
                  </Text>
                </div>
              ) : null}
              {support.phone ? (
                <div>
                  <Text component="dt" fw={600} size="sm">
                    {t('support.phone')}
                  </Text>
                  <Text component="dd" m={0}>
                    <Anchor href={`tel:${support.phone.replace(/[^+0-9]/g, '')}`}>{support.phone}</Anchor>
                  </Text>
                </div>
              ) : null}
              {support.url ? (
                <div>
                  <Text component="dt" fw={600} size="sm">
                    {t('support.web')}
                  </Text>
                  <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
                    <Anchor href={support.url} target="_blank" rel="noopener noreferrer">
                      {support.url}
                      <VisuallyHidden>{` ${t('support.webOpens')}`}</VisuallyHidden>
                    </Anchor>
                  </Text>
                </div>
              ) : null}
            </SimpleGrid>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
