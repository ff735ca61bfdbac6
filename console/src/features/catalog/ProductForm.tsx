import { Alert, Autocomplete, Button, Checkbox, CloseButton, Drawer, Fieldset, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { randomId, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { readable } from './readable';
import {
  BILLING_PERIODS,
  MAX_CANCELLATION_HOURS,
  MAX_OFFERS,
  MAX_QUANTITY,
  TERMS,
  useCreateProduct,
  useEditProduct,
  type BillingPeriod,
  type NewProduct,
  type Product,
  type ProductEdit,
  type Term,
} from './queries';

interface OfferRow {
  key: string;
  /** Set for an offer the product already has: only its price may change. */
  id?: string;
  term: Term;
  billingPeriod: BillingPeriod;
  /** In major units as typed (12.5 is 1250 minor units). */
  price: number | string;
}

interface Values {
  sku: string;
  name: string;
  description: string;
  category: string;
  vendor: string;
  requiresTenant: boolean;
  minQuantity: number | string;
  maxQuantity: number | string;
  cancellationWindowHours: number | string;
  currency: string;
  offers: OfferRow[];
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;
const MAX_PRICE = 1_000_000;
const minor = (price: number | string) => Math.round(Number(price) * 100);
const isInt = (v: number | string, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const newRow = (term: Term = 'P1Y', billingPeriod: BillingPeriod = 'annual'): OfferRow => ({ key: randomId(), term, billingPeriod, price: '' });

function initialValues(product: Product | undefined): Values {
  if (!product) {
    return {
      sku: '',
      name: '',
      description: '',
      category: '',
      vendor: '',
      requiresTenant: true,
      minQuantity: 1,
      maxQuantity: 300,
      cancellationWindowHours: 168,
      currency: 'EUR',
      offers: [newRow()],
    };
  }
  return {
    sku: product.sku,
    name: product.name,
    description: product.description,
    category: product.category,
    vendor: product.vendor,
    requiresTenant: product.requiresTenant,
    minQuantity: product.minQuantity,
    maxQuantity: product.maxQuantity,
    cancellationWindowHours: product.cancellationWindowHours,
    currency: product.offers[0]?.price.currency ?? 'EUR',
    offers: product.offers.map((o) => ({ key: o.id, id: o.id, term: o.term, billingPeriod: o.billingPeriod, price: o.price.amount / 100 })),
  };
}

/** Where each offer of the body sits in the form, so the API's `offers.1.price.amount` lands on the right field. */
function offerFields(sent: Array<{ apiPath: string; row: number }>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { apiPath, row } of sent) {
    fields[apiPath] = `offers.${row}.billingPeriod`;
    fields[`${apiPath}.id`] = `offers.${row}.price`;
    fields[`${apiPath}.term`] = `offers.${row}.term`;
    fields[`${apiPath}.billingPeriod`] = `offers.${row}.billingPeriod`;
    fields[`${apiPath}.price`] = `offers.${row}.price`;
    fields[`${apiPath}.price.amount`] = `offers.${row}.price`;
    fields[`${apiPath}.price.currency`] = 'currency';
  }
  return fields;
}

function ProductForm({ product, categories, onDone }: { product?: Product; categories: string[]; onDone: () => void }) {
  const { t, i18n } = useTranslation('catalog');
  const create = useCreateProduct();
  const edit = useEditProduct(product);
  const mutation = product ? edit : create;
  // An error that landed on a field is shown there, not again in the alert.
  const [onFields, setOnFields] = useState(false);
  const required = t('field.required', { ns: 'errors' });
  const form = useForm<Values>({
    initialValues: initialValues(product),
    validate: {
      sku: (v) => (product ? null : !v.trim() ? required : SKU.test(v.trim()) ? null : t('form.skuInvalid')),
      name: (v) => (!v.trim() ? required : v.trim().length > 200 ? t('field.tooLong', { ns: 'errors' }) : null),
      description: (v) => (!v.trim() ? required : v.trim().length > 2000 ? t('field.tooLong', { ns: 'errors' }) : null),
      category: (v) => (!v.trim() ? required : v.trim().length > 50 ? t('field.tooLong', { ns: 'errors' }) : null),
      vendor: (v) => (!v.trim() ? required : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null),
      minQuantity: (v) => (isInt(v, 1, MAX_QUANTITY) ? null : t('form.quantityInvalid', { max: MAX_QUANTITY })),
      maxQuantity: (v, values) =>
        !isInt(v, 1, MAX_QUANTITY) ? t('form.quantityInvalid', { max: MAX_QUANTITY }) : Number(v) < Number(values.minQuantity) ? t('form.maxBelowMin') : null,
      cancellationWindowHours: (v) => (isInt(v, 0, MAX_CANCELLATION_HOURS) ? null : t('form.hoursInvalid', { max: MAX_CANCELLATION_HOURS })),
      currency: (v) => (/^[A-Z]{3}$/.test(v.trim().toUpperCase()) ? null : t('form.currencyInvalid')),
      offers: {
        billingPeriod: (v, values, path) => {
          const i = Number(path.split('.')[1]);
          const row = values.offers[i]!;
          if (row.term === 'P1M' && v === 'annual') return t('form.monthlyTermAnnual');
          const first = values.offers.findIndex((o) => o.term === row.term && o.billingPeriod === v);
          return first !== i ? t('form.offerTwice') : null;
        },
        price: (v) => (typeof v === 'number' && v > 0 && v <= MAX_PRICE ? null : t('form.priceInvalid')),
      },
    },
  });
  const values = form.getValues();
  const rows = form.values.offers;
  const decimalSeparator = i18n.language === 'en' ? '.' : ',';

  const submit = form.onSubmit((v) => {
    const currency = v.currency.trim().toUpperCase();
    const fields = {
      name: v.name.trim(),
      description: v.description.trim(),
      category: v.category.trim().toLowerCase(),
      vendor: v.vendor.trim(),
      requiresTenant: v.requiresTenant,
      minQuantity: Number(v.minQuantity),
      maxQuantity: Number(v.maxQuantity),
      cancellationWindowHours: Number(v.cancellationWindowHours),
    };
    const sent: Array<{ apiPath: string; row: number }> = [];
    const onError = (err: Error) => setOnFields(applyFieldErrors(form, err, t as unknown as TFunction, offerFields(sent)));
    setOnFields(false);

    if (!product) {
      const body: NewProduct = {
        sku: v.sku.trim(),
        ...fields,
        offers: v.offers.map((o, i) => {
          sent.push({ apiPath: `offers.${i}`, row: i });
          return { term: o.term, billingPeriod: o.billingPeriod, price: { amount: minor(o.price), currency } };
        }),
      };
      return create.mutate(body, {
        onSuccess: (created) => {
          notifications.show({ color: 'green', message: t('form.created', { name: created.name }) });
          onDone();
        },
        onError,
      });
    }

    // Only what changed: the fields, the offers repriced (all of them when the currency changes), the offers added.
    const body: ProductEdit = {};
    for (const [k, value] of Object.entries(fields) as Array<[keyof typeof fields, never]>) if (value !== product[k]) body[k] = value;
    const repriced: NonNullable<ProductEdit['offers']> = [];
    const added: NonNullable<ProductEdit['addOffers']> = [];
    v.offers.forEach((o, row) => {
      const price = { amount: minor(o.price), currency };
      const before = product.offers.find((p) => p.id === o.id);
      if (before) {
        if (before.price.amount !== price.amount || before.price.currency !== currency) {
          sent.push({ apiPath: `offers.${repriced.length}`, row });
          repriced.push({ id: before.id, price });
        }
      } else {
        sent.push({ apiPath: `addOffers.${added.length}`, row });
        added.push({ term: o.term, billingPeriod: o.billingPeriod, price });
      }
    });
    if (repriced.length) body.offers = repriced;
    if (added.length) body.addOffers = added;
    if (Object.keys(body).length === 0) return onDone();
    edit.mutate(body, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('form.saved') });
        onDone();
      },
      onError,
    });
  });

  const field = (path: string) => form.getInputProps(path);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('field.name')} required maxLength={200} autoComplete="off" {...field('name')} />
          {product ? (
            <TextInput label={t('field.sku')} description={t('form.skuFixed')} value={product.sku} readOnly />
          ) : (
            <TextInput label={t('field.sku')} description={t('form.skuHint')} required maxLength={40} autoComplete="off" {...field('sku')} />
          )}
        </SimpleGrid>
        <Textarea label={t('field.description')} required autosize minRows={3} maxRows={8} maxLength={2000} {...field('description')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Autocomplete label={t('field.category')} description={t('form.categoryHint')} required maxLength={50} data={categories} {...field('category')} />
          <TextInput label={t('field.vendor')} required maxLength={100} autoComplete="off" {...field('vendor')} />
        </SimpleGrid>
        <Checkbox label={t('field.requiresTenant')} description={t('form.requiresTenantHint')} {...form.getInputProps('requiresTenant', { type: 'checkbox' })} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NumberInput label={t('field.minQuantity')} required min={1} max={MAX_QUANTITY} allowDecimal={false} allowNegative={false} clampBehavior="none" {...field('minQuantity')} />
          <NumberInput label={t('field.maxQuantity')} required min={1} max={MAX_QUANTITY} allowDecimal={false} allowNegative={false} clampBehavior="none" {...field('maxQuantity')} />
          <NumberInput
            label={t('field.cancellationWindowHours')}
            description={t('form.cancellationHint')}
            required
            min={0}
            max={MAX_CANCELLATION_HOURS}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            {...field('cancellationWindowHours')}
          />
        </SimpleGrid>
        <Fieldset legend={t('form.offers')}>
          <Stack gap="sm">
            <Text size="sm">{product ? t('form.offersEditHint') : t('form.offersHint')}</Text>
            <TextInput label={t('field.currency')} description={t('form.currencyHint')} required maxLength={3} w={{ base: '100%', sm: 240 }} autoComplete="off" {...field('currency')} />
            {rows.map((row, i) => (
              <Fieldset
                key={row.key}
                variant="filled"
                legend={
                  <Group gap="xs" wrap="nowrap">
                    <Text fw={500} component="span">
                      {t('form.offer', { n: i + 1 })}
                    </Text>
                    {row.id ? null : <CloseButton size="sm" aria-label={t('form.removeOffer', { n: i + 1 })} onClick={() => form.removeListItem('offers', i)} disabled={rows.length === 1} />}
                  </Group>
                }
              >
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <NativeSelect
                    label={t('field.term')}
                    disabled={!!row.id}
                    data={TERMS.map((term) => ({ value: term, label: t(`term.${term}`) }))}
                    {...field(`offers.${i}.term`)}
                    onChange={(e) => {
                      form.setFieldValue(`offers.${i}.term`, e.currentTarget.value as Term);
                      form.validateField(`offers.${i}.billingPeriod`);
                    }}
                  />
                  <NativeSelect
                    label={t('field.billingPeriod')}
                    disabled={!!row.id}
                    data={BILLING_PERIODS.map((b) => ({ value: b, label: t(`billing.${b}`) }))}
                    {...field(`offers.${i}.billingPeriod`)}
                  />
                  <NumberInput
                    label={t('form.price', { currency: values.currency.trim().toUpperCase() || '—' })}
                    required
                    min={0}
                    max={MAX_PRICE}
                    decimalScale={2}
                    fixedDecimalScale
                    decimalSeparator={decimalSeparator}
                    allowNegative={false}
                    clampBehavior="none"
                    {...field(`offers.${i}.price`)}
                  />
                </SimpleGrid>
              </Fieldset>
            ))}
            <Group>
              <Button variant="default" onClick={() => form.insertListItem('offers', nextRow(rows))} disabled={rows.length >= MAX_OFFERS}>
                {t('form.addOffer')}
              </Button>
            </Group>
            {rows.length >= MAX_OFFERS ? (
              <Alert color="blue" role="status">
                {t('form.maxOffers', { max: MAX_OFFERS })}
              </Alert>
            ) : null}
          </Stack>
        </Fieldset>
        <ErrorAlert error={onFields ? null : mutation.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {product ? t('actions.save', { ns: 'common' }) : t('form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The next offer to suggest: the first term and billing period the product does not have yet. */
function nextRow(rows: OfferRow[]): OfferRow {
  const order: Array<[Term, BillingPeriod]> = [
    ['P1Y', 'annual'],
    ['P1M', 'monthly'],
    ['P1Y', 'monthly'],
    ['P3Y', 'annual'],
    ['P3Y', 'monthly'],
  ];
  const free = order.find(([term, billing]) => !rows.some((r) => r.term === term && r.billingPeriod === billing));
  return newRow(...(free ?? order[0]!));
}

/** Adds a product with its offers, or edits one (its fields, its offers' prices, new offers) on the version shown. */
export function ProductFormDrawer({ product, categories, opened, onClose }: { product?: Product; categories: string[]; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('catalog');
  const narrow = useMediaQuery('(max-width: 48em)');
  return (
    <Drawer
      style={readable}
      opened={opened}
      onClose={onClose}
      title={product ? t('form.editTitle', { name: product.name }) : t('form.createTitle')}
      position="right"
      size={narrow ? '100%' : 'xl'}
      closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}
    >
      {opened ? <ProductForm product={product} categories={categories} onDone={onClose} /> : null}
    </Drawer>
  );
}
