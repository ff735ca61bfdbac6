import { Badge, Checkbox, Fieldset, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { ErrorAlert } from '../../ui/errors';
import { COUNTRIES, coTermTargets, PREFIX, QUALIFICATIONS, type CheckoutForm } from './checkoutForm';
import { useDomainAvailability, type Account, type Domain } from './queries';

/** Availability of the prefix typed, checked while typing (debounced): `available` is undefined until known. */
export function usePrefixAvailability(prefix: string) {
  const [debounced] = useDebouncedValue(prefix.trim(), 400);
  const wellFormed = PREFIX.test(debounced);
  const q = useDomainAvailability(debounced, wellFormed);
  const current = debounced === prefix.trim() && wellFormed;
  return { checking: PREFIX.test(prefix.trim()) && (!current || q.isFetching), available: current && !q.isFetching ? q.data?.available : undefined, domain: `${prefix.trim()}.onmicrosoft.com`, error: q.error };
}

/**
 * Texts said to someone other than the customer: staff placing an order for a customer read
 * "the customer's domains", "the customer's signatory has accepted", in their own catalog.
 */
export interface DomainStepTexts {
  createHint?: string;
  existing?: string;
  existingHint?: string;
  linkHint?: string;
  /** Under the name to link: the tenant is linked with the order, which may wait for the partner acceptance. */
  linkInline?: string;
  prefixHint?: string;
  agreementIntro?: string;
  agreementAccept?: string;
}

export function DomainStep({
  form,
  account,
  domains,
  availability,
  texts = {},
}: {
  form: CheckoutForm;
  account: Account;
  domains: Domain[];
  availability: ReturnType<typeof usePrefixAvailability>;
  texts?: DomainStepTexts;
}) {
  const { t, i18n } = useTranslation('shop');
  const f = useFormat();
  const mode = form.values.mode;
  const regionNames = new Intl.DisplayNames([i18n.language], { type: 'region' });
  const countries = COUNTRIES.map((c) => ({ value: c, label: regionNames.of(c) ?? c })).sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  // Co-terming (docs/product.md "Co-terming"): an active subscription on the chosen domain, or the month's end.
  const targets = coTermTargets(form.values, domains);
  const coTermOptions = [
    { value: 'none', label: t('checkout.coterm.none') },
    { value: 'calendarMonth', label: t('checkout.coterm.month') },
    ...targets.map((s) => ({ value: s.id, label: t('checkout.coterm.with', { name: s.name, quantity: f.number(s.quantity) }) })),
  ];
  // A subscription of another domain (the domain changed since) is no longer a choice.
  if (!coTermOptions.some((o) => o.value === form.values.alignEndWith)) form.setFieldValue('alignEndWith', 'none');

  return (
    <Stack>
      <Radio.Group label={t('checkout.domain.legend')} required {...form.getInputProps('mode')}>
        <Stack gap="sm" mt="xs">
          <Radio value="create" label={t('checkout.domain.create')} description={texts.createHint ?? t('checkout.domain.createHint')} />
          {domains.length > 0 ? <Radio value="existing" label={texts.existing ?? t('checkout.domain.existing')} description={texts.existingHint ?? t('checkout.domain.existingHint')} /> : null}
          <Radio value="link" label={t('checkout.domain.link')} description={texts.linkHint ?? t('checkout.domain.linkHint')} />
        </Stack>
      </Radio.Group>

      {mode === 'create' ? (
        <Stack>
          <TextInput
            label={t('checkout.domain.prefix')}
            description={texts.prefixHint ?? t('checkout.domain.prefixHint')}
            rightSection={<Text size="sm">.onmicrosoft.com</Text>}
            rightSectionWidth={130}
            autoComplete="off"
            required
            maxLength={40}
            {...form.getInputProps('prefix')}
          />
          <Text size="sm" role="status" aria-live="polite" c={availability.available === false ? 'red.9' : undefined} fw={availability.available !== undefined ? 600 : undefined}>
            {availability.checking
              ? t('checkout.domain.checking', { domain: availability.domain })
              : availability.available === true
                ? t('checkout.domain.available', { domain: availability.domain })
                : availability.available === false
                  ? t('checkout.domain.taken', { domain: availability.domain })
                  : ''}
          </Text>
          <ErrorAlert error={availability.error} />
          <Select
            label={t('checkout.domain.qualification')}
            description={t('checkout.domain.qualificationHint')}
            data={[{ value: 'none', label: t('checkout.domain.qualificationNone') }, ...QUALIFICATIONS.map((q) => ({ value: q, label: t(`offer.qualification.${q}`) }))]}
            allowDeselect={false}
            maw={360}
            {...form.getInputProps('qualification')}
          />
          <Fieldset legend={t('checkout.domain.company')}>
            <Stack gap="sm">
              <TextInput label={t('checkout.domain.companyName')} required maxLength={100} autoComplete="organization" {...form.getInputProps('companyName')} />
              <TextInput label={t('checkout.domain.line1')} required maxLength={200} autoComplete="address-line1" {...form.getInputProps('line1')} />
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <TextInput label={t('checkout.domain.postalCode')} required maxLength={20} autoComplete="postal-code" {...form.getInputProps('postalCode')} />
                <TextInput label={t('checkout.domain.city')} required maxLength={100} autoComplete="address-level2" {...form.getInputProps('city')} />
                <Select label={t('checkout.domain.country')} required searchable data={countries} allowDeselect={false} {...form.getInputProps('country')} />
              </SimpleGrid>
            </Stack>
          </Fieldset>
          <Fieldset legend={t('checkout.domain.contact')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label={t('checkout.domain.firstName')} required maxLength={100} autoComplete="given-name" {...form.getInputProps('firstName')} />
              <TextInput label={t('checkout.domain.lastName')} required maxLength={100} autoComplete="family-name" {...form.getInputProps('lastName')} />
              <TextInput label={t('checkout.domain.email')} type="email" required maxLength={254} autoComplete="email" {...form.getInputProps('email')} />
              <TextInput label={t('checkout.domain.phone')} type="tel" maxLength={30} autoComplete="tel" {...form.getInputProps('phone')} />
            </SimpleGrid>
          </Fieldset>
        </Stack>
      ) : null}

      {mode === 'existing' ? (
        <Radio.Group label={t('checkout.domain.choose')} required {...form.getInputProps('domainId')}>
          <Stack gap="sm" mt="xs">
            {domains.map((d) => (
              <Paper key={d.id} withBorder p="sm">
                <Radio
                  value={d.id}
                  disabled={d.status === 'failed' || d.status === 'pending'}
                  label={
                    <Group gap="xs">
                      <Text span>{d.domain}</Text>
                      {d.status === 'pending_partner_acceptance' ? (
                        <Badge variant="outline" color="orange.9">
                          {t('checkout.domain.pending')}
                        </Badge>
                      ) : null}
                    </Group>
                  }
                  description={d.status === 'pending_partner_acceptance' ? t('checkout.domain.pendingNote') : undefined}
                />
              </Paper>
            ))}
          </Stack>
        </Radio.Group>
      ) : null}

      {mode === 'link' ? (
        // Linked with the order itself, in the same request (no separate step).
        <TextInput
          label={t('checkout.domain.linkDomain')}
          description={texts.linkInline ?? t('checkout.domain.linkInline')}
          placeholder="contoso.onmicrosoft.com"
          autoComplete="off"
          required
          maxLength={60}
          {...form.getInputProps('linkDomain')}
        />
      ) : null}

      <Select
        label={t('checkout.coterm.legend')}
        description={t('checkout.coterm.hint')}
        data={coTermOptions}
        allowDeselect={false}
        maw={560}
        {...form.getInputProps('alignEndWith')}
      />

      {account.customerAgreement ? (
        <Text size="sm">
          {t('checkout.agreement.legend')}: {t('checkout.agreement.accepted', { name: `${account.customerAgreement.firstName} ${account.customerAgreement.lastName}`, date: f.date(account.customerAgreement.acceptedAt) })}
        </Text>
      ) : (
        <Fieldset legend={t('checkout.agreement.legend')}>
          <Stack gap="sm">
            <Text size="sm">{texts.agreementIntro ?? t('checkout.agreement.intro')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput label={t('checkout.domain.firstName')} required maxLength={100} {...form.getInputProps('agreeFirstName')} />
              <TextInput label={t('checkout.domain.lastName')} required maxLength={100} {...form.getInputProps('agreeLastName')} />
              <TextInput label={t('checkout.domain.email')} type="email" required maxLength={254} {...form.getInputProps('agreeEmail')} />
            </SimpleGrid>
            <Checkbox
              label={texts.agreementAccept ?? t('checkout.agreement.accept')}
              checked={form.values.accepted}
              error={form.errors.accepted}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                form.setValues({ accepted: on, acceptedAt: on ? new Date().toISOString() : '' });
                form.clearFieldError('accepted');
              }}
            />
          </Stack>
        </Fieldset>
      )}
    </Stack>
  );
}
