import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { EVENT_TYPES, eventKey } from './catalog';
import { useCreateWebhook, type EventType, type NewWebhook } from './queries';

/**
 * "Add endpoint": the URL the events are posted to, the event types it receives and a
 * description for people. The answer carries the signing secret, which the page shows once.
 */
export function CreateWebhookModal({ accountId, opened, onClose, onCreated }: { accountId: string; opened: boolean; onClose: () => void; onCreated: (w: NewWebhook) => void }) {
  const { t } = useTranslation('integrations');
  const { t: tc } = useTranslation();
  const create = useCreateWebhook(accountId);
  const form = useForm({
    initialValues: { url: '', description: '', eventTypes: [] as string[] },
    validate: {
      url: (v) => {
        if (!v.trim()) return t('field.required', { ns: 'errors' });
        try {
          const u = new URL(v.trim());
          return u.protocol === 'https:' || u.protocol === 'http:' ? null : t('webhooks.create.urlInvalid');
        } catch {
          return t('webhooks.create.urlInvalid');
        }
      },
      description: (v) => (v.trim().length > 200 ? t('field.tooLong', { ns: 'errors' }) : null),
      eventTypes: (v) => (v.length ? null : t('webhooks.create.eventTypesRequired')),
    },
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((v) =>
    create.mutate(
      { url: v.url.trim(), eventTypes: v.eventTypes as EventType[], ...(v.description.trim() ? { description: v.description.trim() } : {}) },
      {
        onSuccess: (webhook) => {
          form.reset();
          create.reset();
          onCreated(webhook);
        },
        onError: (err) => applyFieldErrors(form, err, tc),
      },
    ),
  );

  return (
    <Modal opened={opened} onClose={close} title={t('webhooks.create.title')} size="xl" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput label={t('webhooks.create.url')} description={t('webhooks.create.urlHint')} required type="url" maxLength={2048} placeholder="https://erp.example.com/webhooks/portal" {...form.getInputProps('url')} />
          <TextInput label={t('webhooks.create.description')} maxLength={200} {...form.getInputProps('description')} />
          <Checkbox.Group label={t('webhooks.create.eventTypes')} description={t('webhooks.create.eventTypesHint')} required {...form.getInputProps('eventTypes')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
              {EVENT_TYPES.map((e) => (
                <Checkbox
                  key={e}
                  value={e}
                  label={
                    <Text size="sm" ff="monospace" fw={600} component="span">
                      {e}
                    </Text>
                  }
                  description={t(`event.${eventKey(e)}`)}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <ErrorAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('actions.cancel', { ns: 'common' })}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('webhooks.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
