import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { SUFFIX } from './CreateDomainForm';
import { type Domain, useAddDomain } from './queries';

const DOMAIN = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\.onmicrosoft\.com$/;

/** Links a tenant the customer already has (name.onmicrosoft.com); one with another partner waits for the customer's acceptance. */
export function LinkDomainForm({ accountId, onLinked }: { accountId: string; onLinked: (d: Domain) => void }) {
  const { t } = useTranslation('domains');
  const { t: tc } = useTranslation();
  const form = useForm({
    initialValues: { domain: '' },
    transformValues: (v) => {
      const name = v.domain.trim().toLowerCase();
      return { domain: name && !name.includes('.') ? `${name}${SUFFIX}` : name };
    },
    validate: {
      domain: (v) => {
        const name = v.trim().toLowerCase();
        if (!name) return t('field.required', { ns: 'errors' });
        return DOMAIN.test(name.includes('.') ? name : `${name}${SUFFIX}`) ? null : t('link.invalid');
      },
    },
  });
  const add = useAddDomain(accountId);
  const notFound = add.error instanceof ApiError && add.error.code === 'not_found';

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        add.mutate({ mode: 'link', domain: v.domain }, { onSuccess: (r) => onLinked(r.domain), onError: (err) => applyFieldErrors(form, err, tc, { domain: 'domain' }) }),
      )}
    >
      <Stack gap="sm">
        <Text size="sm">{t('link.intro')}</Text>
        <TextInput label={t('link.domain')} description={t('link.domainHelp')} required maxLength={60} autoComplete="off" {...form.getInputProps('domain')} />
        {notFound ? (
          <Text role="alert" c="red.9" size="sm" fw={600}>
            {t('link.notFound')}
          </Text>
        ) : (
          <ErrorAlert error={add.error} />
        )}
        <Group>
          <Button type="submit" loading={add.isPending}>
            {t('link.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
