import { Alert, Button, Card, SimpleGrid, Skeleton, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { AssignmentsSection } from './AssignmentsSection';
import { CancelDialog } from './CancelDialog';
import { ChangeQuantityDialog } from './ChangeQuantityDialog';
import { ScheduledChangeSection } from './ScheduledChangeSection';
import { GraceNotice } from './GraceNotice';
import { UpgradeAction } from './UpgradeDialog';
import { readableDescription, StatusBadge, useOfferWords } from './labels';
import { CANCEL_REASONS, cancelling, lowerableNow, renewalDate, useSetAutoRenew, useSubscription } from './queries';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="sm" c="gray.7">
        {label}
      </Text>
      <Text component="dd" m={0} fw={500}>
        {children}
      </Text>
    </div>
  );
}

export function SubscriptionPage() {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const offerWords = useOfferWords();
  const { subscriptionId } = useParams({ from: '/app/subscriptions/$subscriptionId' });
  const me = useMe();
  const query = useSubscription(subscriptionId);
  const sub = query.data;
  const autoRenew = useSetAutoRenew(sub);
  const [changeOpen, change] = useDisclosure(false);
  const [cancelOpen, cancel] = useDisclosure(false);

  if (query.error) return <ErrorAlert error={query.error} />;
  if (!sub || !me.data) {
    return (
      <Stack>
        <Skeleton h={36} w="60%" />
        <Skeleton h={200} />
      </Stack>
    );
  }

  const isBuyer = sub.selfService && sub.buyer.userId === me.data.id;
  // A self-service subscription is its buyer's; the others are managed by admins.
  const mayManage = sub.selfService ? isBuyer : me.data.role === 'admin';
  const active = sub.status === 'active';
  const lowerable = lowerableNow(sub);
  const renewal = renewalDate(sub.currentTermEnd);
  const inProgress = cancelling(sub);
  const canCancel = mayManage && active && !inProgress && sub.quantity > 0 && lowerable >= sub.quantity;
  // Cancelling needs every license inside a window: possible until the first of them closes.
  const firstWindowEnd = sub.cancellationWindows.reduce<string | undefined>((m, w) => (!m || w.until < m ? w.until : m), undefined);
  const reasonText = (r: string) =>
    r === 'not_paid' ? t('notPaying.reason') : (CANCEL_REASONS as readonly string[]).includes(r) ? t(`cancel.reasons.${r as (typeof CANCEL_REASONS)[number]}`) : r;

  const toggleAutoRenew = (on: boolean) =>
    autoRenew.mutate(on, { onSuccess: () => notifications.show({ color: 'green', message: on ? t('autoRenew.turnedOn') : t('autoRenew.turnedOff') }) });

  return (
    <>
      <PageHeader title={sub.name}>
        {mayManage && active ? <Button onClick={change.open}>{t('change.open')}</Button> : null}
        {mayManage && active ? <UpgradeAction sub={sub} /> : null}
      </PageHeader>
      <Stack gap="lg">
        {sub.selfService && !isBuyer ? (
          <Alert color="blue" role="status">
            {t('detail.readOnly', { name: sub.buyer.name })}
          </Alert>
        ) : null}
        {!active && sub.status !== 'cancelled' ? (
          <Alert color="yellow" role="status">
            {t('detail.notActive', { status: t(`status.${sub.status}`) })}
          </Alert>
        ) : null}
        <GraceNotice sub={sub} />
        {sub.cancellation && sub.status === 'cancelled' ? (
          <Alert color="gray" role="status">
            {t('detail.cancelledNote', { date: f.date(sub.cancellation.at), reason: reasonText(sub.cancellation.reason) })}
          </Alert>
        ) : null}

        <Card withBorder component="section" aria-labelledby="sub-details">
          <Title order={2} size="h4" id="sub-details" mb="sm">
            {t('detail.details')}
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} component="dl" m={0} spacing="md">
            <Field label={t('detail.product')}>{sub.name}</Field>
            <Field label={t('detail.sku')}>{sub.sku}</Field>
            <Field label={t('detail.offer')}>{offerWords(sub)}</Field>
            <Field label={t('detail.quantity')}>{f.number(sub.quantity)}</Field>
            <Field label={t('detail.assigned')}>{f.number(sub.assignedCount)}</Field>
            <Field label={t('detail.scheduled')}>{sub.scheduledQuantity != null ? f.number(sub.scheduledQuantity) : t('detail.scheduledNone')}</Field>
            <Field label={t('detail.status')}>
              <StatusBadge status={sub.status} />
            </Field>
            <Field label={t('detail.autoRenew')}>{sub.autoRenew ? t('yes') : t('no')}</Field>
            <Field label={t('detail.domain')}>{sub.domain}</Field>
            <Field label={t('detail.startDate')}>{f.date(sub.startDate)}</Field>
            <Field label={t('detail.termStart')}>{f.date(sub.currentTermStart)}</Field>
            <Field label={t('detail.termEnd')}>{f.date(sub.currentTermEnd)}</Field>
            <Field label={t('detail.unitPrice')}>{t(`per.${sub.billingPeriod}`, { price: f.money(sub.unitPrice) })}</Field>
            <Field label={t('detail.buyer')}>{sub.selfService ? `${sub.buyer.name} · ${t('list.selfService')}` : sub.buyer.name}</Field>
          </SimpleGrid>
          {sub.trial && sub.status === 'active' ? (
            <Text mt="md" role="status">
              {t('detail.trialNote', { date: f.date(sub.trial.endsAt) })}
            </Text>
          ) : null}
          {sub.scheduledQuantity != null && renewal ? (
            <Text mt="md" role="status">
              {t('detail.scheduledNote', { date: f.date(renewal), count: sub.scheduledQuantity })}
            </Text>
          ) : null}
        </Card>

        <Card withBorder component="section" aria-labelledby="sub-windows">
          <Title order={2} size="h4" id="sub-windows" mb="sm">
            {t('windows.title')}
          </Title>
          <Stack gap="sm">
            <Text size="sm">{t('windows.intro')}</Text>
            {sub.cancellationWindows.length > 0 ? (
              <>
                <Text>{t('windows.summary', { count: lowerable, total: sub.quantity })}</Text>
                <Table.ScrollContainer minWidth={300}>
                  <Table aria-label={t('windows.tableLabel')} withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th ta="right">{t('windows.licenses')}</Table.Th>
                        <Table.Th>{t('windows.until')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {sub.cancellationWindows.map((w) => (
                        <Table.Tr key={`${w.until}-${w.quantity}`}>
                          <Table.Td ta="right">{f.number(w.quantity)}</Table.Td>
                          <Table.Td>{f.dateTime(w.until)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </>
            ) : (
              <Text>{t('windows.none', { date: f.date(renewal), count: sub.quantity })}</Text>
            )}
          </Stack>
        </Card>

        <Card withBorder component="section" aria-labelledby="sub-renewal">
          <Title order={2} size="h4" id="sub-renewal" mb="sm">
            {t('autoRenew.title')}
          </Title>
          <Stack gap="sm">
            <Switch
              label={t('autoRenew.label')}
              styles={readableDescription}
            description={sub.autoRenew ? t('autoRenew.on', { date: f.date(renewal) }) : t('autoRenew.off', { date: f.date(sub.currentTermEnd) })}
              checked={sub.autoRenew}
              disabled={!mayManage || (sub.status !== 'active' && sub.status !== 'suspended') || autoRenew.isPending || inProgress}
              onChange={(e) => toggleAutoRenew(e.currentTarget.checked)}
            />
            <ErrorAlert error={autoRenew.error} />
          </Stack>
        </Card>

        {mayManage && active ? (
          <Card withBorder component="section" aria-labelledby="sub-cancel">
            <Title order={2} size="h4" id="sub-cancel" mb="sm">
              {t('cancel.section')}
            </Title>
            {inProgress ? (
              <Text role="status">{t('cancel.inProgress')}</Text>
            ) : canCancel ? (
              <Stack gap="sm" align="flex-start">
                <Text>{t('cancel.explain', { count: sub.quantity, until: f.dateTime(firstWindowEnd) })}</Text>
                <Button color="red.9" variant="outline" onClick={cancel.open}>
                  {t('cancel.open')}
                </Button>
              </Stack>
            ) : (
              <Text>{t('cancel.notPossible', { lowerable, count: sub.quantity, date: f.date(sub.currentTermEnd) })}</Text>
            )}
          </Card>
        ) : null}

        <ScheduledChangeSection sub={sub} mayManage={mayManage} />
        <AssignmentsSection sub={sub} me={me.data} mayManage={mayManage} />
      </Stack>
      {changeOpen ? <ChangeQuantityDialog sub={sub} onClose={change.close} /> : null}
      {cancelOpen ? <CancelDialog sub={sub} onClose={cancel.close} /> : null}
    </>
  );
}
