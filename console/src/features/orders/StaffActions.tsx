import { Alert, Button, Group, Loader, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Persona } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { useCancelOrder, useCheckProvisioning, useGateAction, type Order } from './queries';

/**
 * Staff: what the order waits for and the one action that moves it: open (gate 1), provision
 * (gate 2), ask the vendor how provisioning stands, or cancel while it is new or open (staff
 * admins). A button shows only when the order waits at its gate; each shows its progress and its
 * refusal beside it. After an action the order's tracking goes on asking until it moves.
 */
export function StaffActions({ order, persona }: { order: Order; persona: Persona }) {
  const { t } = useTranslation('orders');
  const f = useFormat();
  const open = useGateAction(order.id, 'open');
  const provision = useGateAction(order.id, 'provision');
  const check = useCheckProvisioning(order.id);
  const cancel = useCancelOrder(order.id);
  const [confirming, setConfirming] = useState(false);
  const canCancel = persona === 'staffAdmin' && (order.status === 'new' || order.status === 'open');
  const atOpen = order.status === 'new' && order.waitingAt === 'open';
  const atProvision = order.status === 'open' && order.waitingAt === 'provision';
  const moving = (order.status === 'new' || order.status === 'open') && !order.waitingAt;
  const vendor = check.data?.vendor;
  const busy = open.isPending || provision.isPending || cancel.isPending;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="order-actions-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="order-actions-title">
          {t('staff.actionsTitle')}
        </Title>

        {atOpen ? (
          <>
            <Text size="sm">{t('staff.openHelp')}</Text>
            <Group>
              <Button onClick={() => open.mutate()} loading={open.isPending} disabled={busy && !open.isPending}>
                {t('staff.open')}
              </Button>
            </Group>
            <ErrorAlert error={open.error} />
          </>
        ) : null}

        {atProvision ? (
          <>
            <Text size="sm">{t('staff.provisionHelp')}</Text>
            <Group>
              <Button onClick={() => provision.mutate()} loading={provision.isPending} disabled={busy && !provision.isPending}>
                {t('staff.provision')}
              </Button>
            </Group>
            <ErrorAlert error={provision.error} />
          </>
        ) : null}

        {moving ? (
          <Group gap="xs" role="status">
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

        {order.status === 'provisioning' ? (
          <>
            <Text size="sm">{t('staff.checkHelp')}</Text>
            <Group>
              <Button variant="light" onClick={() => check.mutate()} loading={check.isPending}>
                {t('staff.check')}
              </Button>
            </Group>
            <ErrorAlert error={check.error} />
          </>
        ) : null}

        {check.data ? (
          <Alert color={vendor?.status === 'failed' ? 'red' : vendor?.status === 'succeeded' ? 'green' : 'blue'} variant="light" role="status" title={t('staff.checkedAt', { at: f.dateTime(check.data.checkedAt) })}>
            <Text size="sm">{vendor ? t(`staff.vendor.${vendor.status}`) : t('staff.vendor.none')}</Text>
            {vendor?.reason ? <Text size="sm">{vendor.reason}</Text> : null}
            {vendor ? <Text size="xs">{t('staff.vendorRequest', { id: vendor.requestId })}</Text> : null}
          </Alert>
        ) : null}

        {canCancel ? (
          <>
            <Group>
              <Button variant="outline" color="red.9" onClick={() => setConfirming(true)} disabled={busy}>
                {t('staff.cancel')}
              </Button>
            </Group>
            {!confirming ? <ErrorAlert error={cancel.error} /> : null}
          </>
        ) : null}

        {isDone(order) ? <Text size="sm">{t('staff.nothingToDo')}</Text> : null}
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

const isDone = (o: Order) => o.status === 'completed' || o.status === 'failed' || o.status === 'cancelled';
