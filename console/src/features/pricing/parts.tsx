import { Alert, Badge, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import type { GetInputPropsReturnType, UseFormReturnType } from '@mantine/form';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { useCalendarLabels } from '../../ui/calendar';
import { applyFieldErrors, errorMessage } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { belowCostRows, todayUtc, type Money } from './format';
import { useCatalogProducts, type Product } from './queries';

type PricingT = TFunction<'pricing'>;

/** An offer in words: "1 year, billed monthly". */
export function offerTerms(t: PricingT, offer: { term: string; billingPeriod: string }): string {
  return t('offer.terms', {
    term: t(`term.${offer.term}` as never, { defaultValue: offer.term }),
    billing: t(`billing.${offer.billingPeriod}` as never, { defaultValue: offer.billingPeriod }),
  });
}

/** A category in words: the known ones translated, any other one as it is, capitalised. */
export function categoryName(t: PricingT, category: string): string {
  return t(`category.${category}` as never, { defaultValue: category.charAt(0).toUpperCase() + category.slice(1) });
}

export interface OfferInfo {
  offerId: string;
  productId: string;
  product: string;
  sku: string;
  terms: string;
}

/** The catalog's offers and products by id, in words: how rules and refusals name what they are about. */
export function useCatalogNames(enabled = true) {
  const { t } = useTranslation('pricing');
  const query = useCatalogProducts(enabled);
  const data = query.data;
  const names = useMemo(() => {
    const offers = new Map<string, OfferInfo>();
    const products = new Map<string, Product>();
    for (const p of data ?? []) {
      products.set(p.id, p);
      for (const o of p.offers) offers.set(o.id, { offerId: o.id, productId: p.id, product: p.name, sku: p.sku, terms: offerTerms(t, o) });
    }
    return { products, offers, list: data ?? [] };
  }, [data, t]);
  return { query, ...names };
}

/**
 * A `below_cost` refusal in a readable table: each offer the rule would sell below what the
 * seller pays, with both figures as the API gave them. Nothing for any other error.
 */
export function BelowCostTable({ error, offers }: { error: unknown; offers: Map<string, OfferInfo> }) {
  const { t } = useTranslation('pricing');
  const f = useFormat();
  if (!(error instanceof ApiError) || error.code !== 'below_cost') return null;
  const rows = belowCostRows(error.details);
  return (
    <Alert color="red" variant="light" role="alert" title={t('belowCost.title', { count: rows.length })}>
      <Text size="sm" mb="xs">
        {t('belowCost.body')}
      </Text>
      <Table.ScrollContainer minWidth={300} type="native" tabIndex={0} role="region" aria-label={t('belowCost.table')}>
        <Table aria-label={t('belowCost.table')} withTableBorder bg="white">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('belowCost.offer')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('belowCost.cost')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('belowCost.price')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => {
              const o = offers.get(r.offerId);
              return (
                <Table.Tr key={r.offerId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {o?.product ?? r.offerId}
                    </Text>
                    {o ? <Text size="xs">{o.terms}</Text> : null}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {f.money(r.cost)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    <Text span size="sm" fw={600} c="red.9">
                      {f.money(r.price)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Alert>
  );
}

/** The day a version starts: today (UTC) or later, as the API takes it. */
export function EffectiveDateInput({ label, description, inputProps }: { label: string; description?: string; inputProps: GetInputPropsReturnType }) {
  const { i18n } = useTranslation();
  const calendarLabels = useCalendarLabels();
  return (
    <DatesProvider settings={{ locale: i18n.language }}>
      <DatePickerInput
        label={label}
        description={description}
        required
        minDate={todayUtc()}
        valueFormat="D MMM YYYY"
        ariaLabels={calendarLabels}
        {...inputProps}
        onChange={(v) => (inputProps.onChange as (value: string | null) => void)(v ? String(v).slice(0, 10) : null)}
      />
    </DatesProvider>
  );
}

/** Money, drawn in dark red when below zero (a negative margin). */
export function Amount({ money, strong }: { money: Money | undefined; strong?: boolean }) {
  const f = useFormat();
  const negative = !!money && money.amount < 0;
  return (
    <Text span size="sm" fw={strong ? 600 : undefined} c={negative ? 'red.9' : undefined} style={{ whiteSpace: 'nowrap' }}>
      {f.money(money)}
    </Text>
  );
}

/** Where a version stands on a day: in effect, scheduled, or replaced. */
export function VersionBadge({ state }: { state: 'current' | 'scheduled' | 'past' }) {
  const { t } = useTranslation('pricing');
  const color = state === 'current' ? 'teal.9' : state === 'scheduled' ? 'blue.8' : 'gray.7';
  return (
    <Badge color={color} variant={state === 'past' ? 'outline' : 'filled'} tt="none" miw="max-content">
      {t(`version.${state}`)}
    </Badge>
  );
}

/**
 * Puts a refusal on the form's fields: a 400's field errors (`applyFieldErrors`), or a business
 * refusal (422) naming a field (`past_effective_date` at `effectiveFrom`) as its message under that
 * field. `fields` maps an API path to the form's. Answers whether anything landed.
 */
export function placeErrors<T>(form: UseFormReturnType<T>, err: unknown, t: TFunction, fields: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.status === 400) return applyFieldErrors(form, err, t, fields);
  if (err.status !== 422 || err.code === 'below_cost') return false;
  const path = err.details.find((d) => typeof d.path === 'string' && d.path)?.path;
  const target = path ? (fields[path] ?? path) : undefined;
  if (!target || !(target in (form.getValues() as object))) return false;
  form.setErrors({ [target]: errorMessage(err, t) });
  return true;
}
