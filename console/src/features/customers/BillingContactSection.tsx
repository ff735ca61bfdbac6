import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { Item } from './AccountSummary';
import type { Account, useEditAccount } from './queries';
import { validEmail, validName } from './validation';

interface Values {
  /** Checked: the emails go to the account's admins (no billing contact). */
  toAdmins: boolean;
  name: string;
  email: string;
}

const valuesOf = (account: Account): Values => ({
  toAdmins: account.billingContact === null,
  name: account.billingContact?.name ?? '',
  email: account.billingContact?.email ?? '',
});

/** The form, mounted per version of the account (so a saved account starts a clean form). */
function BillingContactForm({ account, edit }: { account: Account; edit: ReturnType<typeof useEditAccount> }) {
  const { t } = useTranslation('customers');
  const { t: te } = useTranslation('errors');
  const { t: tc } = useTranslation();
  const form = useForm<Values>({
    initialValues: valuesOf(account),
    validate: {
      name: (v, values) => (values.toAdmins ? null : validName(te)(v)),
      email: (v, values) => (values.toAdmins ? null : validEmail(te)(v)),
    },
  });
  const { toAdmins } = form.getValues();
  const submit = form.onSubmit((values) => {
    const billingContact = values.toAdmins ? null : { name: values.name.trim(), email: values.email.trim() };
    edit.mutateAsync({ account, body: { billingContact } }).then(
      () => notifications.show({ color: 'green', message: t('billingContact.saved') }),
      (err: unknown) => applyFieldErrors(form, err, tc),
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Checkbox label={t('billingContact.toAdmins')} {...form.getInputProps('toAdmins', { type: 'checkbox' })} />
        {toAdmins ? null : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('billingContact.name')} required autoComplete="off" maxLength={100} {...form.getInputProps('name')} />
            <TextInput label={t('billingContact.email')} type="email" required autoComplete="off" maxLength={254} {...form.getInputProps('email')} />
          </SimpleGrid>
        )}
        <Group>
          <Button type="submit" loading={edit.isPending} disabled={!form.isDirty()}>
            {t('billingContact.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Where the account's invoice and payment emails go (docs/console.md): its billing contact, or its
 * admins when it has none. The account's admins and staff admins above it set it; others read it.
 */
export function BillingContactSection({ account, canEdit, edit }: { account: Account; canEdit: boolean; edit: ReturnType<typeof useEditAccount> }) {
  const { t } = useTranslation('customers');
  const contact = account.billingContact;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`billing-contact-${account.id}`}>
      <Stack>
        <div>
          <Title order={2} size="h4" id={`billing-contact-${account.id}`}>
            {t('billingContact.title')}
          </Title>
          <Text size="sm">{t('billingContact.hint')}</Text>
        </div>
        <ErrorAlert error={edit.error} />
        {canEdit ? (
          <BillingContactForm key={account.version} account={account} edit={edit} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" component="dl" m={0}>
            <Item label={t('billingContact.title')}>{contact ? `${contact.name} <${contact.email}>` : t('billingContact.admins')}</Item>
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
