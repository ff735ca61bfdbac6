import { Button, Checkbox, Group, Modal, NumberInput, Radio, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { readable } from '../catalog/readable';
import {
  bpsOfPercent,
  formatMarkup,
  groupRules,
  MAX_MARKUP_PERCENT,
  MAX_PRICE_MAJOR,
  MIN_MARKUP_PERCENT,
  minorOf,
  SCOPES,
  todayUtc,
  type PriceList,
  type Scope,
} from './format';
import { BelowCostTable, categoryName, EffectiveDateInput, placeErrors, useCatalogNames } from './parts';
import { useAddRule, type NewRule } from './queries';

/** Where the form starts: a scope, and the category, product or offer of a rule shown. */
export interface RuleStart {
  scope: Scope;
  target?: string;
}

interface Values {
  scope: Scope;
  category: string | null;
  productId: string | null;
  offerId: string | null;
  /** The version ends the rule from its day (not for the list's own rule). */
  ends: boolean;
  markup: number | string;
  price: number | string;
  effectiveFrom: string | null;
}

/** The rule version the form describes, as the API takes it. */
function bodyOf(v: Values): NewRule {
  const effectiveFrom = v.effectiveFrom!;
  const markupBps = v.ends ? null : bpsOfPercent(Number(v.markup));
  switch (v.scope) {
    case 'list':
      return { scope: 'list', markupBps: bpsOfPercent(Number(v.markup)), effectiveFrom };
    case 'category':
      return { scope: 'category', category: v.category!, markupBps, effectiveFrom };
    case 'product':
      return { scope: 'product', productId: v.productId!, markupBps, effectiveFrom };
    case 'offer':
      return { scope: 'offer', offerId: v.offerId!, amount: v.ends ? null : minorOf(Number(v.price)), effectiveFrom };
  }
}

/** The rule the form is about (the API's rule key), once its category, product or offer is chosen. */
function keyOf(v: Values): string | undefined {
  switch (v.scope) {
    case 'list':
      return 'list';
    case 'category':
      return v.category ? `category:${v.category.toLowerCase()}` : undefined;
    case 'product':
      return v.productId ? `product:${v.productId}` : undefined;
    case 'offer':
      return v.offerId ? `offer:${v.offerId}` : undefined;
  }
}

/**
 * A new version of a rule: the list's own markup, a markup for a category or a product, or a
 * fixed price for an offer, from a day on (today or later); a category, product or offer rule can
 * be ended instead. A refusal for selling below what the reseller pays lists the offers with both
 * figures; any other refusal shows as the console's error.
 */
function AddRuleForm({ list, start, onDone }: { list: PriceList; start: RuleStart; onDone: () => void }) {
  const { t, i18n } = useTranslation('pricing');
  const { t: tc } = useTranslation();
  const f = useFormat();
  const add = useAddRule(list);
  const names = useCatalogNames();
  const [onFields, setOnFields] = useState(false);
  const required = tc('field.required', { ns: 'errors' });
  const form = useForm<Values>({
    initialValues: {
      scope: start.scope,
      category: start.scope === 'category' ? (start.target ?? null) : null,
      productId: start.scope === 'product' ? (start.target ?? null) : null,
      offerId: start.scope === 'offer' ? (start.target ?? null) : null,
      ends: false,
      markup: '',
      price: '',
      effectiveFrom: todayUtc(),
    },
    validate: {
      category: (v, values) => (values.scope === 'category' && !v ? required : null),
      productId: (v, values) => (values.scope === 'product' && !v ? required : null),
      offerId: (v, values) => (values.scope === 'offer' && !v ? required : null),
      markup: (v, values) =>
        values.scope === 'offer' || (values.ends && values.scope !== 'list') || (typeof v === 'number' && v >= MIN_MARKUP_PERCENT && v <= MAX_MARKUP_PERCENT) ? null : t('form.markupInvalid'),
      price: (v, values) => (values.scope !== 'offer' || values.ends || (typeof v === 'number' && v >= 0 && v <= MAX_PRICE_MAJOR) ? null : t('form.priceInvalid')),
      effectiveFrom: (v) => (!v ? required : v < todayUtc() ? t('form.pastDate') : null),
    },
  });
  const values = form.getValues();
  const decimalSeparator = i18n.language === 'en' ? '.' : ',';

  const categories = useMemo(() => {
    const all = [...new Set(names.list.map((p) => p.category.toLowerCase()))];
    if (start.scope === 'category' && start.target && !all.includes(start.target)) all.push(start.target);
    return all.map((c) => ({ value: c, label: categoryName(t, c) })).sort((a, b) => a.label.localeCompare(b.label, i18n.language));
  }, [names.list, start, t, i18n.language]);
  const products = useMemo(
    () => names.list.map((p) => ({ value: p.id, label: `${p.name} (${p.sku})` })).sort((a, b) => a.label.localeCompare(b.label, i18n.language)),
    [names.list, i18n.language],
  );
  const offers = useMemo(
    () =>
      [...names.list]
        .sort((a, b) => a.name.localeCompare(b.name, i18n.language))
        .map((p) => ({ group: p.name, items: p.offers.map((o) => ({ value: o.id, label: `${p.name}: ${names.offers.get(o.id)?.terms ?? o.id}` })) })),
    [names.list, names.offers, i18n.language],
  );

  // What the chosen rule is now: the version in effect today, if the rule has one.
  const key = keyOf(values);
  const chosen = useMemo(() => (key ? groupRules(list.rules, todayUtc()).find((g) => g.key === key) : undefined), [list.rules, key]);
  const current = chosen?.inEffect;
  const currentText = !current
    ? t('rule.noneYet')
    : (current.scope === 'offer' ? current.amount : current.markupBps) === null
      ? t('rule.endedSince', { date: f.date(current.effectiveFrom) })
      : t('rule.inEffect', {
          value: current.scope === 'offer' ? f.money({ amount: current.amount!, currency: list.currency }) : formatMarkup(current.markupBps!, i18n.language),
          date: f.date(current.effectiveFrom),
        });

  const submit = form.onSubmit((v) => {
    setOnFields(false);
    add.mutate(bodyOf(v), {
      onSuccess: () => {
        notifications.show({ color: 'green', message: t('rule.added') });
        onDone();
      },
      onError: (err) => setOnFields(placeErrors(form, err, tc, { markupBps: 'markup', amount: 'price', category: 'category', productId: 'productId', offerId: 'offerId' })),
    });
  });

  const belowCost = add.error instanceof ApiError && add.error.code === 'below_cost';
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Radio.Group
          label={t('rule.scope')}
          required
          {...form.getInputProps('scope')}
          onChange={(s) => {
            form.setFieldValue('scope', s as Scope);
            if (s === 'list') form.setFieldValue('ends', false);
          }}
        >
          <Stack gap="xs" mt="xs">
            {SCOPES.map((s) => (
              <Radio key={s} value={s} label={t(`scope.${s}`)} description={t(`scope.${s}Hint`)} />
            ))}
          </Stack>
        </Radio.Group>
        {values.scope === 'category' ? (
          <Select label={t('rule.category')} required searchable data={categories} nothingFoundMessage={t('rule.nothingFound')} {...form.getInputProps('category')} />
        ) : values.scope === 'product' ? (
          <Select label={t('rule.product')} required searchable data={products} nothingFoundMessage={t('rule.nothingFound')} {...form.getInputProps('productId')} />
        ) : values.scope === 'offer' ? (
          <Select label={t('rule.offer')} required searchable data={offers} nothingFoundMessage={t('rule.nothingFound')} maxDropdownHeight={320} {...form.getInputProps('offerId')} />
        ) : null}
        {key ? (
          <Text size="sm" role="status">
            {currentText}
          </Text>
        ) : null}
        {values.scope !== 'list' ? <Checkbox label={t('rule.endRule')} description={t('rule.endRuleHint')} {...form.getInputProps('ends', { type: 'checkbox' })} /> : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {values.ends && values.scope !== 'list' ? null : values.scope === 'offer' ? (
            <NumberInput
              label={t('rule.price', { currency: list.currency })}
              required
              min={0}
              max={MAX_PRICE_MAJOR}
              decimalScale={2}
              fixedDecimalScale
              decimalSeparator={decimalSeparator}
              allowNegative={false}
              clampBehavior="none"
              {...form.getInputProps('price')}
            />
          ) : (
            <NumberInput
              label={t('form.markup')}
              description={t('form.markupHintRule')}
              required
              min={MIN_MARKUP_PERCENT}
              max={MAX_MARKUP_PERCENT}
              decimalScale={2}
              decimalSeparator={decimalSeparator}
              allowNegative
              clampBehavior="none"
              {...form.getInputProps('markup')}
            />
          )}
          <EffectiveDateInput label={t('form.effectiveFrom')} inputProps={form.getInputProps('effectiveFrom')} />
        </SimpleGrid>
        <BelowCostTable error={add.error} offers={names.offers} />
        <ErrorAlert error={onFields || belowCost ? null : add.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('rule.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AddRuleModal({ list, start, opened, onClose }: { list: PriceList; start: RuleStart; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('pricing');
  const narrow = useMediaQuery('(max-width: 48em)');
  return (
    <Modal style={readable} opened={opened} onClose={onClose} title={t('rule.title')} size="lg" fullScreen={narrow} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {opened ? <AddRuleForm list={list} start={start} onDone={onClose} /> : null}
    </Modal>
  );
}
