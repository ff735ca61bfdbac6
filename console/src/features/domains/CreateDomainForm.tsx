import { Alert, Button, Checkbox, Fieldset, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import type { Me } from '../../api/me';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { type CreateDomainBody, useAddDomain, useAvailability } from './queries';

type Account = components['schemas']['Account'];
export type Credentials = { domain: string; login: string; password: string };
/** Someone of the customer's: the new tenant's contact and the agreement's signatory (staff create a tenant for a customer). */
export type Person = { firstName: string; lastName: string; email: string };

const PREFIX = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const SUFFIX = '.onmicrosoft.com';
/** What a new tenant may be qualified for, checked by Microsoft (docs/product.md#trials-and-qualifications). */
const QUALIFICATIONS = ['education', 'nonprofit', 'government'] as const;

/**
 * A new Microsoft tenant: its name (checked for availability), the company it is for (prefilled
 * from the account and the signed-in admin) and, when the account has not yet accepted it, the
 * Microsoft Customer Agreement. The tenant admin's credentials come back once, for the caller to keep.
 */
export function CreateDomainForm({ account, me, customerAdmin, onCreated }: { account: Account; me: Me; customerAdmin?: Person | null; onCreated: (c: Credentials | undefined) => void }) {
  const { t } = useTranslation('domains');
  const { t: tc } = useTranslation();
  const required = t('field.required', { ns: 'errors' });
  const needsAgreement = !account.customerAgreement;
  // Staff create a tenant for a customer: the contact and the agreement's signatory are the customer's people, not the staff member.
  const staff = me.accountType !== 'customer';
  const person: Person = staff ? (customerAdmin ?? { firstName: '', lastName: '', email: '' }) : { firstName: me.firstName, lastName: me.lastName, email: me.notificationEmail ?? me.login };
  const form = useForm({
    initialValues: {
      prefix: '',
      companyName: account.name,
      line1: account.address?.line1 ?? '',
      city: account.address?.city ?? '',
      postalCode: account.address?.postalCode ?? '',
      country: account.address?.country ?? '',
      contactFirstName: person.firstName,
      contactLastName: person.lastName,
      contactEmail: person.email,
      contactPhone: '',
      agreeFirstName: person.firstName,
      agreeLastName: person.lastName,
      agreeEmail: person.email,
      agree: false,
      qualification: 'none' as 'none' | (typeof QUALIFICATIONS)[number],
    },
    validate: {
      prefix: (v) => (!v ? required : PREFIX.test(v) ? null : t('create.prefixInvalid')),
      companyName: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
      line1: (v) => (!v.trim() ? required : v.trim().length > 200 ? t('field.tooLong', { ns: 'errors' }) : null),
      city: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
      postalCode: (v) => (!v.trim() ? required : v.trim().length > 20 ? t('field.tooLong', { ns: 'errors' }) : null),
      country: (v) => (!v.trim() ? required : /^[A-Z]{2}$/.test(v.trim()) ? null : t('create.countryInvalid')),
      contactFirstName: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
      contactLastName: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
      contactEmail: (v) => (!v.trim() ? required : EMAIL.test(v.trim()) && v.trim().length <= 254 ? null : t('field.email', { ns: 'errors' })),
      contactPhone: (v) => (v.trim().length > 30 ? t('field.tooLong', { ns: 'errors' }) : null),
      agreeFirstName: (v) => (needsAgreement && staff && !v.trim() ? required : null),
      agreeLastName: (v) => (needsAgreement && staff && !v.trim() ? required : null),
      agreeEmail: (v) => (needsAgreement && staff ? (!v.trim() ? required : EMAIL.test(v.trim()) ? null : t('field.email', { ns: 'errors' })) : null),
      agree: (v) => (needsAgreement && !v ? t('create.agreementRequired') : null),
    },
  });
  const availability = useAvailability();
  const add = useAddDomain(account.id);
  const checked = availability.data && availability.data.prefix === form.values.prefix ? availability.data : undefined;

  const submit = form.onSubmit((v) => {
    const body: CreateDomainBody = {
      mode: 'create',
      prefix: v.prefix,
      company: {
        name: v.companyName.trim(),
        address: { line1: v.line1.trim(), city: v.city.trim(), postalCode: v.postalCode.trim(), country: v.country.trim() },
        contact: { firstName: v.contactFirstName.trim(), lastName: v.contactLastName.trim(), email: v.contactEmail.trim(), ...(v.contactPhone.trim() ? { phone: v.contactPhone.trim() } : {}) },
      },
      ...(v.qualification !== 'none' ? { qualification: v.qualification } : {}),
      ...(needsAgreement
        ? {
            customerAgreement: staff
              ? { firstName: v.agreeFirstName.trim(), lastName: v.agreeLastName.trim(), email: v.agreeEmail.trim(), acceptedAt: new Date().toISOString() }
              : { firstName: me.firstName, lastName: me.lastName, email: me.notificationEmail ?? me.login, acceptedAt: new Date().toISOString() },
          }
        : {}),
    };
    add.mutate(body, {
      onSuccess: (created) => onCreated(created.credentials ? { domain: created.domain.domain, ...created.credentials } : undefined),
      onError: (err) =>
        applyFieldErrors(form, err, tc, {
          prefix: 'prefix',
          'company.name': 'companyName',
          'company.address.line1': 'line1',
          'company.address.city': 'city',
          'company.address.postalCode': 'postalCode',
          'company.address.country': 'country',
          'company.contact.firstName': 'contactFirstName',
          'company.contact.lastName': 'contactLastName',
          'company.contact.email': 'contactEmail',
          'company.contact.phone': 'contactPhone',
          'customerAgreement.firstName': 'agreeFirstName',
          'customerAgreement.lastName': 'agreeLastName',
          'customerAgreement.email': 'agreeEmail',
          qualification: 'qualification',
        }),
    });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('create.prefix')}
          description={t('create.prefixHelp', { domain: `${form.values.prefix || t('create.prefixExample')}${SUFFIX}` })}
          required
          maxLength={40}
          autoComplete="off"
          {...form.getInputProps('prefix')}
          onChange={(e) => {
            form.setFieldValue('prefix', e.currentTarget.value.toLowerCase().trim());
            availability.reset();
          }}
        />
        <Group>
          <Button
            variant="default"
            onClick={() => {
              if (!form.validateField('prefix').hasError) availability.mutate(form.values.prefix);
            }}
            loading={availability.isPending}
          >
            {t('create.check')}
          </Button>
        </Group>
        <div role="status">
          {checked ? (
            <Text size="sm" fw={600} c={checked.available ? 'green.9' : 'red.9'}>
              {checked.available ? t('create.available', { domain: checked.domain }) : t('create.taken', { domain: checked.domain })}
            </Text>
          ) : null}
        </div>
        <ErrorAlert error={availability.error} />
        <Select
          label={t('create.qualification')}
          description={t('create.qualificationHint')}
          data={[{ value: 'none', label: t('create.qualificationNone') }, ...QUALIFICATIONS.map((q) => ({ value: q, label: t(`create.qualificationName.${q}`) }))]}
          allowDeselect={false}
          maw={360}
          {...form.getInputProps('qualification')}
        />
        <Fieldset legend={t('create.company')}>
          <Stack gap="sm">
            <TextInput label={t('create.companyName')} required maxLength={100} autoComplete="organization" {...form.getInputProps('companyName')} />
            <TextInput label={t('create.line1')} required maxLength={200} autoComplete="address-line1" {...form.getInputProps('line1')} />
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              <TextInput label={t('create.postalCode')} required maxLength={20} autoComplete="postal-code" {...form.getInputProps('postalCode')} />
              <TextInput label={t('create.city')} required maxLength={100} autoComplete="address-level2" {...form.getInputProps('city')} />
              <TextInput
                label={t('create.country')}
                description={t('create.countryHelp')}
                required
                maxLength={2}
                autoComplete="country"
                {...form.getInputProps('country')}
                onChange={(e) => form.setFieldValue('country', e.currentTarget.value.toUpperCase())}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend={t('create.contact')}>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput label={t('create.firstName')} required maxLength={100} autoComplete="given-name" {...form.getInputProps('contactFirstName')} />
            <TextInput label={t('create.lastName')} required maxLength={100} autoComplete="family-name" {...form.getInputProps('contactLastName')} />
            <TextInput label={t('create.email')} type="email" required maxLength={254} autoComplete="email" {...form.getInputProps('contactEmail')} />
            <TextInput label={t('create.phone')} type="tel" maxLength={30} autoComplete="tel" {...form.getInputProps('contactPhone')} />
          </SimpleGrid>
        </Fieldset>
        {needsAgreement ? (
          <Alert color="blue" variant="light" title={t('create.agreementTitle')}>
            {staff ? (
              <Stack gap="xs">
                <Text size="sm">{t('create.agreementBodyStaff')}</Text>
                <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
                  <TextInput label={t('create.firstName')} required maxLength={100} {...form.getInputProps('agreeFirstName')} />
                  <TextInput label={t('create.lastName')} required maxLength={100} {...form.getInputProps('agreeLastName')} />
                  <TextInput label={t('create.email')} type="email" required maxLength={254} {...form.getInputProps('agreeEmail')} />
                </SimpleGrid>
                <Checkbox label={t('create.agreementAcceptStaff')} {...form.getInputProps('agree', { type: 'checkbox' })} />
              </Stack>
            ) : (
              <Stack gap="xs">
                <Text size="sm">{t('create.agreementBody')}</Text>
                <Checkbox label={t('create.agreementAccept', { name: `${me.firstName} ${me.lastName}` })} {...form.getInputProps('agree', { type: 'checkbox' })} />
              </Stack>
            )}
          </Alert>
        ) : null}
        <Text size="sm">{t('create.oneDomain')}</Text>
        <ErrorAlert error={add.error} />
        <Group>
          <Button type="submit" loading={add.isPending}>
            {t('create.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
