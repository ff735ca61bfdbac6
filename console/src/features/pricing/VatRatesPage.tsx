import { Button, Center, Group, Loader, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { personaOf, useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { Notice } from '../auth/Notice';
import { readable } from '../catalog/readable';
import { bpsOfPercent, countryName, formatRate, todayUtc } from './format';
import { EffectiveDateInput, placeErrors, VersionBadge } from './parts';
import { useAddVatRate, useVatRates, type VatRates } from './queries';

/**
 * The VAT rate table the distributor keeps (its staff): each country's standard rate versions,
 * the one in effect today marked; its admins add a version (never an edit: a new rate from a day).
 */
export function VatRatesPage() {
  const { t, i18n } = useTranslation('pricing');
  const me = useMe();
  const persona = me.data ? personaOf(me.data) : undefined;
  const staff = persona === 'staffAdmin' || persona === 'staffUser';
  const rates = useVatRates(staff);
  const [adding, { open, close }] = useDisclosure(false);
  const canAdd = persona === 'staffAdmin' && me.data?.accountType === 'distributor';
  const items = useMemo(
    () => [...(rates.data?.items ?? [])].sort((a, b) => countryName(a.country, i18n.language).localeCompare(countryName(b.country, i18n.language), i18n.language)),
    [rates.data, i18n.language],
  );

  return (
    <Stack gap="md" style={readable}>
      <PageHeader title={t('vat.title')}>{canAdd && rates.data ? <Button onClick={open}>{t('vat.add')}</Button> : null}</PageHeader>
      {me.data && !staff ? (
        <Notice color="gray" role="status">
          {t('vat.notForYou')}
        </Notice>
      ) : (
        <>
          <Text>{t('vat.intro')}</Text>
          {rates.data?.version === 0 ? <Text size="sm">{t('vat.seeded')}</Text> : null}
          <ErrorAlert error={rates.error} />
          {rates.isPending && staff && !rates.error ? (
            <Center p="xl">
              <Loader aria-label={t('state.loading', { ns: 'common' })} />
            </Center>
          ) : null}
          {items.length ? <RatesTable items={items} /> : null}
          {persona && !canAdd ? <Text size="sm">{t('vat.readOnly')}</Text> : null}
        </>
      )}
      {canAdd && rates.data ? (
        <Modal style={readable} opened={adding} onClose={close} title={t('vat.addTitle')} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
          {adding ? <AddRateForm table={rates.data} onDone={close} /> : null}
        </Modal>
      ) : null}
    </Stack>
  );
}

function RatesTable({ items }: { items: VatRates['items'] }) {
  const { t, i18n } = useTranslation('pricing');
  const f = useFormat();
  const narrow = useMediaQuery('(max-width: 48em)');
  const today = todayUtc();
  return (
    <Table.ScrollContainer minWidth={300} type="native" tabIndex={0} role="region" aria-label={t('vat.table')}>
      <Table striped aria-label={t('vat.table')} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('vat.country')}</Table.Th>
            <Table.Th scope="col">{t('vat.versions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => {
            const versions = [...c.versions].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
            const current = versions.find((v) => v.effectiveFrom <= today);
            return (
              <Table.Tr key={c.country} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {countryName(c.country, i18n.language)}
                  </Text>
                  <Text size="xs" ff="monospace">
                    {c.country}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    {versions.map((v) => (
                      <Group key={v.effectiveFrom} gap="xs" wrap={narrow ? 'wrap' : 'nowrap'}>
                        <Text size="sm" fw={v === current ? 600 : undefined} miw={56}>
                          {formatRate(v.rateBps, i18n.language)}
                        </Text>
                        <Text size="sm">{t('vat.from', { date: f.date(v.effectiveFrom) })}</Text>
                        <VersionBadge state={v === current ? 'current' : v.effectiveFrom > today ? 'scheduled' : 'past'} />
                      </Group>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AddRateForm({ table, onDone }: { table: VatRates; onDone: () => void }) {
  const { t, i18n } = useTranslation('pricing');
  const { t: tc } = useTranslation();
  const add = useAddVatRate();
  const [onFields, setOnFields] = useState(false);
  const required = tc('field.required', { ns: 'errors' });
  const form = useForm<{ country: string | null; rate: number | string; effectiveFrom: string | null }>({
    initialValues: { country: null, rate: '', effectiveFrom: todayUtc() },
    validate: {
      country: (v) => (v ? null : required),
      rate: (v) => (typeof v === 'number' && v >= 0 && v <= 100 ? null : t('vat.rateInvalid')),
      effectiveFrom: (v) => (!v ? required : v < todayUtc() ? t('form.pastDate') : null),
    },
  });
  const countries = useMemo(
    () => table.items.map((c) => ({ value: c.country, label: `${countryName(c.country, i18n.language)} (${c.country})` })).sort((a, b) => a.label.localeCompare(b.label, i18n.language)),
    [table.items, i18n.language],
  );
  const submit = form.onSubmit((v) => {
    setOnFields(false);
    add.mutate(
      { country: v.country!, rateBps: bpsOfPercent(Number(v.rate)), effectiveFrom: v.effectiveFrom! },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('vat.added', { country: countryName(v.country!, i18n.language) }) });
          onDone();
        },
        onError: (err) => setOnFields(placeErrors(form, err, tc, { rateBps: 'rate' })),
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Select label={t('vat.country')} required searchable data={countries} nothingFoundMessage={t('rule.nothingFound')} {...form.getInputProps('country')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('vat.rate')}
            required
            min={0}
            max={100}
            decimalScale={2}
            decimalSeparator={i18n.language === 'en' ? '.' : ','}
            allowNegative={false}
            clampBehavior="none"
            {...form.getInputProps('rate')}
          />
          <EffectiveDateInput label={t('form.effectiveFrom')} inputProps={form.getInputProps('effectiveFrom')} />
        </SimpleGrid>
        <ErrorAlert error={onFields ? null : add.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('vat.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
