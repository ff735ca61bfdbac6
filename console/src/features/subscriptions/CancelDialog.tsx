import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { CANCEL_REASONS, MAX_COMMENT, useCancelSubscription, type Order, type Subscription } from './queries';
import { AnchorLink } from '../../ui/links';

/** "Cancel subscription": a reason (sent as its stable code) and an optional comment. */
export function CancelDialog({ sub, onClose }: { sub: Subscription; onClose: () => void }) {
  const { t } = useTranslation('subscriptions');
  const { t: tc } = useTranslation();
  const cancel = useCancelSubscription(sub);
  const f = useFormat();
  const [placed, setPlaced] = useState<Order>();
  const firstWindowEnd = sub.cancellationWindows.reduce<string | undefined>((m, w) => (!m || w.until < m ? w.until : m), undefined);
  const form = useForm({
    initialValues: { reason: '', comment: '' },
    validate: {
      reason: (v) => (v ? null : t('field.required', { ns: 'errors' })),
      comment: (v) => (v.trim().length > MAX_COMMENT ? t('cancel.commentTooLong') : null),
    },
  });

  const submit = form.onSubmit((v) =>
    cancel.mutate(
      { reason: v.reason, ...(v.comment.trim() ? { comment: v.comment.trim() } : {}) },
      {
        onSuccess: (order) => {
          setPlaced(order);
          notifications.show({ color: 'green', message: t('cancel.placed', { number: order.number }) });
        },
        onError: (err) => applyFieldErrors(form, err, tc),
      },
    ),
  );

  return (
    <Modal opened onClose={onClose} title={t('cancel.title')} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {placed ? (
        <Stack>
          <Text role="status">{t('cancel.placed', { number: placed.number })}</Text>
          <Group justify="flex-end">
            <AnchorLink to="/orders/$orderId" params={{ orderId: placed.id }} onClick={onClose}>
              {t('change.track')}
            </AnchorLink>
            <Button variant="default" onClick={onClose}>
              {t('actions.close', { ns: 'common' })}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('cancel.explain', { count: sub.quantity, until: f.dateTime(firstWindowEnd) })}</Text>
            <Select
              label={t('cancel.reason')}
              placeholder={t('cancel.reasonPlaceholder')}
              data={CANCEL_REASONS.map((r) => ({ value: r, label: t(`cancel.reasons.${r}`) }))}
              required
              data-autofocus
              {...form.getInputProps('reason')}
            />
            <Textarea label={t('cancel.comment')} autosize minRows={2} maxLength={MAX_COMMENT} {...form.getInputProps('comment')} />
            <ErrorAlert error={cancel.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('cancel.keep')}
              </Button>
              <Button type="submit" color="red.9" loading={cancel.isPending}>
                {t('cancel.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
