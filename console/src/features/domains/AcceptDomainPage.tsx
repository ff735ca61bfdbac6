import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe, useSession } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { AnchorLink } from '../../ui/links';
import { DomainStatusBadge } from './DomainStatusBadge';
import { useAcceptDomain, useDomain } from './queries';

/** Where the partner invitation email leads: the linked domain, what accepting means, and the button. */
export function AcceptDomainPage() {
  const { t } = useTranslation('domains');
  const { domainId } = useParams({ from: '/app/domains/$domainId/accept' });
  const domain = useDomain(domainId);
  const me = useMe();
  const session = useSession();
  const accept = useAcceptDomain();
  const navigate = useNavigate();
  const d = domain.data;
  const canAccept = me.data?.accountType === 'customer' && me.data.role === 'admin' && !session?.returnTo;

  return (
    <Stack>
      <PageHeader title={t('acceptPage.title')} />
      <ErrorAlert error={domain.error} />
      {domain.isPending ? <Text>{t('state.loading', { ns: 'common' })}</Text> : null}
      {d ? (
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Group gap="sm">
              <Text fw={700} style={{ overflowWrap: 'anywhere' }}>
                {d.domain}
              </Text>
              <DomainStatusBadge status={d.status} />
            </Group>
            {d.status === 'pending_partner_acceptance' ? (
              <>
                <Text size="sm">{t('pending.body')}</Text>
                {canAccept ? (
                  <>
                    <ErrorAlert error={accept.error} />
                    <Group>
                      <Button onClick={() => accept.mutate(d, { onSuccess: () => void navigate({ to: '/domains', search: {} }) })} loading={accept.isPending}>
                        {t('pending.accept')}
                      </Button>
                    </Group>
                  </>
                ) : (
                  <Text size="sm">{t('pending.customerAccepts')}</Text>
                )}
              </>
            ) : (
              <Alert color="green" variant="light">
                {t('acceptPage.nothingToDo')}
              </Alert>
            )}
          </Stack>
        </Paper>
      ) : null}
      <AnchorLink to="/domains" search={{}}>
        {t('acceptPage.back')}
      </AnchorLink>
    </Stack>
  );
}
