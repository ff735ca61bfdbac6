import { Alert, Button, Group, Loader, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Persona } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { isEnded, useCancelOrder, useCheckProvisioning, useGateAction, type Order } from './queries';

/**
 * Staff: what the order waits for and the action that moves it: open (gate 1), provision (gate
 * 2), ask the vendor how provisioning stands, or cancel while it is new or open (staff admins). A
 * button shows only when the order waits at its gate; each shows its progress and its refusal
 * beside it. After an action the order's tracking goes on asking until it moves. Nothing shows
 * once the order has ended.
 */
export function StaffActions({ order, persona }: { order: Order; persona: Persona }) {
  const { t } = useTranslation('orders');
  const f = useFormat();
  const open = useGateAction(order.id, 'open');
  const provision = useGateAction(order.id, 'provision');
  const check = useCheckProvisioning(order.id);
  const cancel = useCancelOrder(order.id);
  const [confirming, setConfirming] = useState(false);
  if (isEnded(order.status)) return null;

  const canCancel = persona === 'staffAdmin' && (order.status === 'new' || order.status === 'open');
  const atOpen = order.status === 'new' && order.waitingAt === 'open';
  const atProvision = order.status === 'open' && order.waitingAt === 'provision';
  const moving = (order.status === 'new' || order.status === 'open') && !order.waitingAt;
  // At the partner gate nothing has gone to the vendor yet: there is nothing to ask it.
  const provisioning = order.status === 'provisioning' && order.waitingAt !== 'partner';
  const busy = open.isPending || provision.isPending || cancel.isPending;
  const vendor = check.data?.vendor;
  const help = atOpen ? t('staff.openHelp') : atProvision ? t('staff.provisionHelp') : provisioning ? t('staff.checkHelp') : null;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="order-actions-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="order-actions-title">
          {t('staff.actionsTitle')}
        </Title>
        {help ? <Text size="sm">{help}</Text> : null}
        {moving ? (
          <Group gap="xs" role="status" wrap="nowrap">
            <Loader size="xs" aria-hidden />
            <Text size="sm">{t('staff.moving')}</Text>
          </Group>
        ) : null}
        {order.waitingAt === 'partner' ? (
          <Alert color="orange" variant="light" title={t('staff.partnerTitle')}>
            <Stack gap="xs">
              <Text size="sm">{t('staff.partnerBody')}</Text>
              <AnchorLink to="/domains" search={{ accountId: order.accountId }} size="sm">
                {t('staff.partnerLink')}
              </AnchorLink>
            </Stack>
          </Alert>
        ) : null}

        {atOpen || atProvision || provisioning || canCancel ? (
          <Group gap="sm">
            {atOpen ? (
              <Button onClick={() => open.mutate()} loading={open.isPending} disabled={busy && !open.isPending}>
                {t('staff.open')}
              </Button>
            ) : null}
            {atProvision ? (
              <Button onClick={() => provision.mutate()} loading={provision.isPending} disabled={busy && !provision.isPending}>
                {t('staff.provision')}
              </Button>
            ) : null}
            {provisioning ? (
              <Button onClick={() => check.mutate()} loading={check.isPending} h="auto" mih={36} py={6} styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}>
                {t('staff.check')}
              </Button>
            ) : null}
            {canCancel ? (
              <Button variant="outline" color="red.9" onClick={() => setConfirming(true)} disabled={busy}>
                {t('staff.cancel')}
              </Button>
            ) : null}
          </Group>
        ) : null}
        <ErrorAlert error={open.error ?? provision.error ?? check.error ?? (confirming ? null : cancel.error)} />

        {provisioning && check.data ? (
          <Alert color={vendor?.status === 'failed' ? 'red' : vendor?.status === 'succeeded' ? 'green' : 'blue'} variant="light" role="status" title={t('staff.checkedAt', { at: f.dateTime(check.data.checkedAt) })}>
            <Text size="sm">{vendor ? t(`staff.vendor.${vendor.status}`) : t('staff.vendor.none')}</Text>
            {vendor?.reason ? <Text size="sm">{vendor.reason}</Text> : null}
            {vendor ? (
              <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                {t('staff.vendorRequest', { id: vendor.requestId })}
              </Text>
            ) : null}
          </Alert>
        ) : null}
      </Stack>

      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('staff.cancelTitle', { number: order.number })} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
        <Stack gap="sm">
          <Text size="sm">{t('staff.cancelBody')}</Text>
          <ErrorAlert error={cancel.error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={cancel.isPending}>
              {t('staff.cancelKeep')}
            </Button>
            <Button color="red.9" loading={cancel.isPending} onClick={() => cancel.mutate(undefined, { onSuccess: () => setConfirming(false) })}>
              {t('staff.cancelConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
