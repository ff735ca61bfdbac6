import { Button, Group, Modal, NativeSelect, NumberInput, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { readable } from '../catalog/readable';
import { CURRENCIES, MAX_PRICE_MAJOR, minorOf, todayUtc, type Currency } from './format';
import { EffectiveDateInput, offerTerms, placeErrors, VersionBadge } from './parts';
import { useAddOfferCost, useKnownOfferCosts, type OfferCosts } from './queries';

/** The offers table's column for the offer's cost (distributor admins). */
export function OfferCostHeader() {
  const { t } = useTranslation('pricing');
  return <>{t('cost.column')}</>;
}

/**
 * "Add cost" on an offer of the catalog (distributor admins): what the vendor charges for it in a
 * currency from a day on, as a new version. The API answers every cost version of the offer (it
 * has no other read of them), and the dialog shows that answer.
 */
export function OfferCostAction({ offer, productName, defaultCurrency }: { offer: { id: string; term: string; billingPeriod: string }; productName: string; defaultCurrency: string }) {
  const { t } = useTranslation('pricing');
  const [opened, { open, close }] = useDisclosure(false);
  const known = useKnownOfferCosts(offer.id);
  const terms = offerTerms(t, offer);
  return (
    <>
      <Button size="xs" variant="default" onClick={open} aria-label={t('cost.addFor', { name: productName, terms })}>
        {t('cost.add')}
      </Button>
      <Modal style={readable} opened={opened} onClose={close} title={t('cost.title', { name: productName, terms })} size="lg" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
        {opened ? <CostForm offerId={offer.id} defaultCurrency={defaultCurrency} known={known.data ?? null} onDone={close} /> : null}
      </Modal>
    </>
  );
}

function CostForm({ offerId, defaultCurrency, known, onDone }: { offerId: string; defaultCurrency: string; known: OfferCosts | null; onDone: () => void }) {
  const { t, i18n } = useTranslation('pricing');
  const { t: tc } = useTranslation();
  const add = useAddOfferCost(offerId);
  const [onFields, setOnFields] = useState(false);
  const [saved, setSaved] = useState(false);
  const required = tc('field.required', { ns: 'errors' });
  const form = useForm<{ currency: Currency; amount: number | string; effectiveFrom: string | null }>({
    initialValues: { currency: (CURRENCIES as readonly string[]).includes(defaultCurrency) ? (defaultCurrency as Currency) : 'EUR', amount: '', effectiveFrom: todayUtc() },
    validate: {
      amount: (v) => (typeof v === 'number' && v >= 0 && v <= MAX_PRICE_MAJOR ? null : t('form.priceInvalid')),
      effectiveFrom: (v) => (!v ? required : v < todayUtc() ? t('form.pastDate') : null),
    },
  });
  const submit = form.onSubmit((v) => {
    setOnFields(false);
    setSaved(false);
    add.mutate(
      { currency: v.currency, amount: minorOf(Number(v.amount)), effectiveFrom: v.effectiveFrom! },
      {
        onSuccess: () => {
          setSaved(true);
          form.reset();
        },
        onError: (err) => setOnFields(placeErrors(form, err, tc)),
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">{t('cost.hint')}</Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect label={t('create.currency')} required data={CURRENCIES.map((c) => ({ value: c, label: c }))} {...form.getInputProps('currency')} />
          <NumberInput
            label={t('cost.amount')}
            required
            min={0}
            max={MAX_PRICE_MAJOR}
            decimalScale={2}
            fixedDecimalScale
            decimalSeparator={i18n.language === 'en' ? '.' : ','}
            allowNegative={false}
            clampBehavior="none"
            {...form.getInputProps('amount')}
          />
          <EffectiveDateInput label={t('form.effectiveFrom')} inputProps={form.getInputProps('effectiveFrom')} />
        </SimpleGrid>
        {saved ? (
          <Text size="sm" role="status" fw={500}>
            {t('cost.added')}
          </Text>
        ) : null}
        <ErrorAlert error={onFields ? null : add.error} />
        {known ? <CostVersions costs={known} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.close', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('cost.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Every cost version of the offer, as the API answered the last addition: per currency, newest first. */
function CostVersions({ costs }: { costs: OfferCosts }) {
  const { t } = useTranslation('pricing');
  const f = useFormat();
  const today = todayUtc();
  const sorted = [...costs.costs].sort((a, b) => a.currency.localeCompare(b.currency) || b.effectiveFrom.localeCompare(a.effectiveFrom));
  const current = new Set(CURRENCIES.map((c) => sorted.find((v) => v.currency === c && v.effectiveFrom <= today)).filter(Boolean));
  return (
    <Table.ScrollContainer minWidth={280} type="native" tabIndex={0} role="region" aria-label={t('cost.versions')}>
      <Table striped aria-label={t('cost.versions')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('list.from')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('cost.amount')}
            </Table.Th>
            <Table.Th scope="col">{t('list.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((v) => (
            <Table.Tr key={`${v.currency}-${v.effectiveFrom}`}>
              <Table.Td>{f.date(v.effectiveFrom)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {f.money(v)}
              </Table.Td>
              <Table.Td>
                <VersionBadge state={current.has(v) ? 'current' : v.effectiveFrom > today ? 'scheduled' : 'past'} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
