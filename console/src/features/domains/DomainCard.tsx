import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { DomainModeBadge, DomainStatusBadge } from './DomainStatusBadge';
import { type Domain, useAcceptDomain, useResendInvitation } from './queries';

/**
 * One domain: how it came (created or linked), its state, and the subscriptions and licenses on
 * it. A linked domain waiting for partner acceptance says who must accept: the customer's own
 * admin accepts; staff see that and may send the invitation again.
 */
export function DomainCard({ domain, canAccept, staff = false, canResend = false }: { domain: Domain; canAccept: boolean; staff?: boolean; canResend?: boolean }) {
  const { t } = useTranslation('domains');
  const fmt = useFormat();
  const accept = useAcceptDomain();
  const resend = useResendInvitation();
  const titleId = `domain-${domain.id}`;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={2} size="h4" id={titleId} style={{ overflowWrap: 'anywhere' }}>
            {domain.domain}
          </Title>
          <Group gap="xs">
            <DomainModeBadge mode={domain.mode} />
            <DomainStatusBadge status={domain.status} />
          </Group>
        </Group>
        {domain.qualifications.length ? (
          <Text size="sm">{t('card.qualified', { qualifications: domain.qualifications.map((q) => t(`create.qualificationName.${q}`)).join(', ') })}</Text>
        ) : null}
        <Text size="sm">{t('card.counts', { licenses: fmt.number(domain.licenseCount), assigned: fmt.number(domain.assignedCount), subscriptions: fmt.number(domain.subscriptions.length) })}</Text>
        {domain.status === 'pending_partner_acceptance' ? (
          <Alert color="orange" variant="light" title={t('pending.title')}>
            <Stack gap="sm">
              <Text size="sm">{staff ? t('pending.staffBody') : t('pending.body')}</Text>
              {staff ? (
                <>
                  {domain.invitationSentAt ? <Text size="sm">{t('pending.sentAt', { date: fmt.dateTime(domain.invitationSentAt) })}</Text> : null}
                  <Text size="sm">{t('pending.staffNext')}</Text>
                  {canResend ? (
                    <>
                      <Group>
                        <Button
                          variant="default"
                          onClick={() => resend.mutate(domain)}
                          loading={resend.isPending}
                        >
                          {t('pending.resend')}
                        </Button>
                      </Group>
                      <ErrorAlert error={resend.error} />
                      {resend.isSuccess ? (
                        <Text size="sm" role="status" fw={600}>
                          {t('pending.resent', { domain: domain.domain })}
                        </Text>
                      ) : null}
                    </>
                  ) : null}
                </>
              ) : canAccept ? (
                <>
                  <ErrorAlert error={accept.error} />
                  <Group>
                    <Button
                      onClick={() => accept.mutate(domain, { onSuccess: (d) => notifications.show({ color: 'green', message: t('pending.accepted', { domain: d.domain }) }) })}
                      loading={accept.isPending}
                    >
                      {t('pending.accept')}
                    </Button>
                  </Group>
                </>
              ) : (
                <Text size="sm">{t('pending.customerAccepts')}</Text>
              )}
            </Stack>
          </Alert>
        ) : null}
        {domain.status === 'pending' ? <Text size="sm">{t('card.provisioning')}</Text> : null}
        {domain.status === 'failed' ? (
          <Alert color="red" variant="light">
            {t('card.failed')}
          </Alert>
        ) : null}
        {domain.subscriptions.length ? (
          <Table.ScrollContainer minWidth={480}>
            <Table aria-label={t('card.subscriptionsLabel', { domain: domain.domain })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('card.subscription')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('card.licenses')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('card.assigned')}</Table.Th>
                  <Table.Th>{t('card.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {domain.subscriptions.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{s.name}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{fmt.number(s.quantity)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{fmt.number(s.assignedCount)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={s.status === 'active' ? 'green' : s.status === 'suspended' ? 'red' : 'gray'} autoContrast>
                        {t(`subscriptionStatus.${s.status}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : (
          <Text size="sm">{t('card.noSubscriptions')}</Text>
        )}
      </Stack>
    </Paper>
  );
}
