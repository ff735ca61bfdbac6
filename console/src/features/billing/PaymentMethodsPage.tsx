import { Badge, Button, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { useMe } from '../../api/me';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { useSelfService } from '../selfservice/queries';
import { AddCardForm, expiryInFuture } from './AddCardForm';
import { brandName, cardLabel, expiry } from './cardLabel';
import { type PaymentMethod, useEditPaymentMethod, usePaymentMethods, useRemovePaymentMethod } from './queries';

/**
 * The account's saved cards: add one (through the gateway), make one the default, edit, remove. A
 * customer user sees the cards it keeps itself for its self-service purchases (never a default).
 */
export function PaymentMethodsPage() {
  const { t } = useTranslation('billing');
  const me = useMe();
  const accountId = me.data?.accountId;
  const methods = usePaymentMethods(accountId);
  const [adding, setAdding] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const edit = useEditPaymentMethod(accountId ?? '');
  const remove = useRemovePaymentMethod(accountId ?? '');
  const items = methods.data?.items ?? [];
  const canManage = me.data?.role === 'admin';
  const selfService = useSelfService();
  const buyer = selfService.buyer;
  const canAdd = canManage || (buyer && selfService.allowed);
  const canChange = canManage || buyer;
  const actionError = edit.error ?? remove.error;
  // The card as stored now: after a refused stale edit the list reloads and the next save sends the new version.
  const editing = items.find((m) => m.id === editingId) ?? null;

  const makeDefault = (m: PaymentMethod) => {
    remove.reset();
    edit.mutate({ method: m, changes: { isDefault: true } }, { onSuccess: () => notifications.show({ color: 'green', message: t('methods.defaultDone', { card: cardLabel(m, t) }) }) });
  };
  const confirmRemove = (m: PaymentMethod) =>
    modals.openConfirmModal({
      title: t('methods.removeTitle'),
      children: <Text size="sm">{t('methods.removeBody', { card: cardLabel(m, t) })}</Text>,
      labels: { confirm: t('methods.remove'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': t('actions.close', { ns: 'common' }) },
      onConfirm: () => {
        edit.reset();
        remove.mutate(m, { onSuccess: () => notifications.show({ color: 'green', message: t('methods.removed', { card: cardLabel(m, t) }) }) });
      },
    });

  return (
    <Stack>
      <PageHeader title={buyer ? t('methods.myTitle') : t('methods.title')}>
        {canAdd && accountId ? <Button onClick={() => setAdding(true)}>{t('methods.add')}</Button> : null}
      </PageHeader>
      <ErrorAlert error={methods.error ?? me.error} />
      <ErrorAlert error={actionError} />
      <Table.ScrollContainer minWidth={720}>
        <Table striped aria-label={t('methods.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('methods.brand')}</Table.Th>
              <Table.Th>{t('methods.number')}</Table.Th>
              <Table.Th>{t('methods.expiry')}</Table.Th>
              <Table.Th>{t('methods.holder')}</Table.Th>
              {buyer ? null : <Table.Th>{t('methods.default')}</Table.Th>}
              {canChange ? <Table.Th>{t('methods.actions')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{m.type === 'card' ? brandName(m.brand, t) : t('methods.invoiceType')}</Table.Td>
                <Table.Td>{m.last4 ? `•••• ${m.last4}` : '—'}</Table.Td>
                <Table.Td>{expiry(m)}</Table.Td>
                <Table.Td>{m.holderName ?? '—'}</Table.Td>
                {buyer ? null : (
                  <Table.Td>
                    {m.isDefault ? (
                      <Badge variant="light" color="blue" autoContrast>
                        {t('methods.defaultBadge')}
                      </Badge>
                    ) : null}
                  </Table.Td>
                )}
                {canChange ? (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {canManage && !m.isDefault ? (
                        <Button size="xs" variant="default" onClick={() => makeDefault(m)} loading={edit.isPending && edit.variables?.method.id === m.id}>
                          {t('methods.makeDefault')}
                        </Button>
                      ) : null}
                      {m.type === 'card' ? (
                        <Button size="xs" variant="default" onClick={() => setEditingId(m.id)}>
                          {t('actions.edit', { ns: 'common' })}
                        </Button>
                      ) : null}
                      <Button size="xs" variant="default" color="red" onClick={() => confirmRemove(m)} loading={remove.isPending && remove.variables?.id === m.id}>
                        {t('methods.remove')}
                      </Button>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {methods.isPending && accountId ? <Text>{t('state.loading', { ns: 'common' })}</Text> : null}
      {methods.isSuccess && items.length === 0 ? <Text>{t('methods.empty')}</Text> : null}
      {accountId ? (
        <Modal opened={adding} onClose={() => setAdding(false)} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }} title={t('card.title')}>
          <AddCardForm
            accountId={accountId}
            defaultChecked={items.length === 0}
            onAdded={(pm) => {
              setAdding(false);
              notifications.show({ color: 'green', message: t('methods.added', { card: cardLabel(pm, t) }) });
            }}
          />
        </Modal>
      ) : null}
      <Modal opened={!!editing} onClose={() => setEditingId(null)} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }} title={t('methods.editTitle')}>
        {editing ? <EditCardForm method={editing} accountId={accountId ?? ''} onDone={() => setEditingId(null)} /> : null}
      </Modal>
    </Stack>
  );
}

/** Expiry and holder of a saved card, sent against the version shown (a stale edit is refused, then reloaded). */
function EditCardForm({ method, accountId, onDone }: { method: PaymentMethod; accountId: string; onDone: () => void }) {
  const { t } = useTranslation('billing');
  const { t: tc } = useTranslation();
  const required = t('field.required', { ns: 'errors' });
  const edit = useEditPaymentMethod(accountId);
  const form = useForm({
    initialValues: { expMonth: String(method.expMonth ?? ''), expYear: String(method.expYear ?? ''), holderName: method.holderName ?? '' },
    validate: {
      expMonth: (v) => (!v.trim() ? required : /^\d{1,2}$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 12 ? null : t('card.invalidMonth')),
      expYear: (v, values) => {
        if (!v.trim()) return required;
        if (!/^\d{4}$/.test(v.trim()) || Number(v) > 2100) return t('card.invalidYear');
        const month = Number(values.expMonth);
        return month >= 1 && month <= 12 && !expiryInFuture(month, Number(v)) ? t('card.expired') : null;
      },
      holderName: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        edit.mutate(
          { method, changes: { expMonth: Number(v.expMonth), expYear: Number(v.expYear), holderName: v.holderName.trim() } },
          {
            onSuccess: () => {
              notifications.show({ color: 'green', message: t('state.saved', { ns: 'common' }) });
              onDone();
            },
            onError: (err) => {
              if (!(err instanceof ApiError && err.code === 'precondition_failed')) applyFieldErrors(form, err, tc);
            },
          },
        ),
      )}
    >
      <Stack gap="sm">
        <Text size="sm">{cardLabel(method, t)}</Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('card.expMonth')} placeholder={t('card.expMonthPlaceholder')} inputMode="numeric" autoComplete="cc-exp-month" required maxLength={2} {...form.getInputProps('expMonth')} />
          <TextInput label={t('card.expYear')} placeholder={t('card.expYearPlaceholder')} inputMode="numeric" autoComplete="cc-exp-year" required maxLength={4} {...form.getInputProps('expYear')} />
        </SimpleGrid>
        <TextInput label={t('card.holderName')} autoComplete="cc-name" required maxLength={100} {...form.getInputProps('holderName')} />
        <ErrorAlert error={edit.error} />
        <Group>
          <Button type="submit" loading={edit.isPending}>
            {t('actions.save', { ns: 'common' })}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
