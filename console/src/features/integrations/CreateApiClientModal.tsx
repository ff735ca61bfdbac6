import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { scopeKey } from './catalog';
import { useCreateApiClient, type NewApiClient, type Scope } from './queries';

/**
 * "New API client": a name people recognise it by (the audit trail names the client by it) and
 * the scopes it may use, each with what it opens. The answer carries the secret, which the page
 * shows once.
 */
export function CreateApiClientModal({ accountId, scopes, opened, onClose, onCreated }: { accountId: string; scopes: Scope[]; opened: boolean; onClose: () => void; onCreated: (c: NewApiClient) => void }) {
  const { t } = useTranslation('integrations');
  const { t: tc } = useTranslation();
  const create = useCreateApiClient(accountId);
  // One line per resource: its read scope beside its write scope (and orders:operate under them).
  const groups = scopes.reduce<Scope[][]>((all, s) => {
    const last = all.at(-1);
    if (last && last[0]!.split(':')[0] === s.split(':')[0]) last.push(s);
    else all.push([s]);
    return all;
  }, []);
  const form = useForm({
    initialValues: { name: '', scopes: [] as string[] },
    validate: {
      name: (v) => (!v.trim() ? t('field.required', { ns: 'errors' }) : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
      scopes: (v) => (v.length ? null : t('clients.create.scopesRequired')),
    },
  });
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  const submit = form.onSubmit((v) =>
    create.mutate(
      { name: v.name.trim(), scopes: v.scopes as Scope[] },
      {
        onSuccess: (client) => {
          form.reset();
          create.reset();
          onCreated(client);
        },
        onError: (err) => applyFieldErrors(form, err, tc),
      },
    ),
  );

  return (
    <Modal opened={opened} onClose={close} title={t('clients.create.title')} size="xl" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput label={t('clients.create.name')} description={t('clients.create.nameHint')} required maxLength={100} {...form.getInputProps('name')} />
          <Checkbox.Group label={t('clients.create.scopes')} description={t('clients.create.scopesHint')} required {...form.getInputProps('scopes')}>
            <Stack gap="sm" mt="xs">
              {groups.map((group) => (
                <SimpleGrid key={group[0]} cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
                  {group.map((s) => (
                    <Checkbox
                      key={s}
                      value={s}
                      label={
                        <Text size="sm" ff="monospace" fw={600} component="span">
                          {s}
                        </Text>
                      }
                      description={t(`scope.${scopeKey(s)}`)}
                    />
                  ))}
                </SimpleGrid>
              ))}
            </Stack>
          </Checkbox.Group>
          <Group gap="xs">
            <Button variant="subtle" size="xs" onClick={() => form.setFieldValue('scopes', scopes.filter((s) => s.endsWith(':read')))}>
              {t('clients.create.readOnly')}
            </Button>
            <Button variant="subtle" size="xs" onClick={() => form.setFieldValue('scopes', [])}>
              {t('clients.create.none')}
            </Button>
          </Group>
          <ErrorAlert error={create.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('actions.cancel', { ns: 'common' })}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('clients.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
