import { Button, Group, NumberInput, Radio, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { OfferOptions } from '../shop/OfferOptions';
import { offerKind, sortedOffers } from '../shop/offers';
import { useProducts, type Offer, type Product } from '../shop/queries';

/** One line of a staff order: a product of the catalog, one of its offers, and the licenses. */
export interface Line {
  product: Product;
  offer: Offer;
  quantity: number;
}

interface Draft {
  product?: Product;
  offerId: string;
  quantity: number | string;
}
type DraftErrors = Partial<Record<'product' | 'offerId' | 'quantity', string>>;

/**
 * The line being written (service plan, subscription period, licenses) and the lines so far:
 * "Add to the order" checks the draft and adds it (the same offer twice adds up), and the
 * wizard's Next takes a complete draft along too.
 */
export function useLineEditor() {
  const { t } = useTranslation('orders');
  const [lines, setLines] = useState<Line[]>([]);
  const [draft, setDraft] = useState<Draft>({ offerId: '', quantity: 1 });
  const [errors, setErrors] = useState<DraftErrors>({});
  // The catalog search typed in the service plan's field; emptied with the draft once it is added.
  const [search, setSearch] = useState('');

  const empty = !draft.product;
  const add = (): boolean => {
    const e: DraftErrors = {};
    const product = draft.product;
    const offer = product?.offers.find((o) => o.id === draft.offerId);
    const already = lines.find((l) => l.offer.id === draft.offerId)?.quantity ?? 0;
    const quantity = typeof draft.quantity === 'number' ? draft.quantity : NaN;
    if (!product) e.product = t('place.lines.productRequired');
    else if (!offer) e.offerId = t('place.lines.offerRequired');
    if (product && (!Number.isInteger(quantity) || quantity < product.minQuantity || quantity + already > product.maxQuantity)) {
      e.quantity = t('place.lines.quantityRange', { min: product.minQuantity, max: product.maxQuantity - already });
    }
    setErrors(e);
    if (Object.keys(e).length || !product || !offer) return false;
    setLines((ls) => (already ? ls.map((l) => (l.offer.id === offer.id ? { ...l, quantity: l.quantity + quantity } : l)) : [...ls, { product, offer, quantity }]));
    setDraft({ offerId: '', quantity: 1 });
    setSearch('');
    return true;
  };
  const remove = (offerId: string) => setLines((ls) => ls.filter((l) => l.offer.id !== offerId));
  const pick = (product: Product | undefined) => {
    setDraft({ product, offerId: '', quantity: Math.max(product?.minQuantity ?? 1, 1) });
    setErrors({});
  };
  return { lines, draft, errors, empty, search, add, remove, pick, setDraft, setErrors, setSearch };
}
export type LineEditor = ReturnType<typeof useLineEditor>;

/** Step 1 of a staff order: pick services from the catalog, each with its offer explained, and their licenses. */
export function LinesStep({ editor, error }: { editor: LineEditor; error?: string }) {
  const { t } = useTranslation('orders');
  const [q] = useDebouncedValue(editor.search, 250);
  const chosen = editor.draft.product;
  // The catalog as searched; the chosen product stays among the options while the search moves on.
  const products = useProducts({ q: chosen && q === chosen.name ? undefined : q });
  const found = (products.data?.items ?? []).filter((p) => p.status === 'active' && p.offers.length > 0);
  const options = chosen && !found.some((p) => p.id === chosen.id) ? [chosen, ...found] : found;
  const offers = chosen ? sortedOffers(chosen.offers) : [];

  return (
    <Stack>
      <Select
        label={t('place.lines.product')}
        description={t('place.lines.productHint')}
        placeholder={t('place.lines.productPlaceholder')}
        searchable
        clearable
        searchValue={editor.search}
        onSearchChange={editor.setSearch}
        nothingFoundMessage={products.isFetching ? t('state.loading', { ns: 'common' }) : t('place.lines.nothingFound')}
        data={options.map((p) => ({ value: p.id, label: p.name }))}
        value={chosen?.id ?? null}
        onChange={(id) => editor.pick(options.find((p) => p.id === id))}
        error={editor.errors.product}
        required={editor.lines.length === 0}
      />
      <ErrorAlert error={products.error} />
      {chosen ? (
        <>
          <Text size="sm">{chosen.description}</Text>
          <Radio.Group
            label={t('place.lines.offer')}
            description={t('place.lines.offerHint')}
            required
            value={editor.draft.offerId}
            onChange={(offerId) => {
              editor.setDraft((d) => ({ ...d, offerId }));
              editor.setErrors((e) => ({ ...e, offerId: undefined }));
            }}
            error={editor.errors.offerId}
          >
            <OfferOptions offers={offers} title={(kind) => t(`offer.${kind}`)} explain={(kind) => t(`place.explain.${kind}`)} />
          </Radio.Group>
          <NumberInput
            label={t('place.lines.quantity')}
            description={t('place.lines.quantityHint', { min: chosen.minQuantity, max: chosen.maxQuantity })}
            min={chosen.minQuantity}
            max={chosen.maxQuantity}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            required
            maw={240}
            value={editor.draft.quantity}
            onChange={(quantity) => {
              editor.setDraft((d) => ({ ...d, quantity }));
              editor.setErrors((e) => ({ ...e, quantity: undefined }));
            }}
            error={editor.errors.quantity}
          />
          <Group>
            <Button variant="light" onClick={() => editor.add()}>
              {t('place.lines.add')}
            </Button>
          </Group>
        </>
      ) : null}

      {editor.lines.length ? (
        <LinesTable lines={editor.lines} onRemove={editor.remove} />
      ) : (
        <Text size="sm">{t('place.lines.none')}</Text>
      )}
      {error ? (
        <Text c="red.9" size="sm" fw={600} role="alert">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The order's lines with their prices at the catalog's; removable while the order is written. */
export function LinesTable({ lines, onRemove }: { lines: Line[]; onRemove?: (offerId: string) => void }) {
  const { t } = useTranslation('orders');
  const f = useFormat();
  const currency = lines[0]?.offer.price.currency;
  const oneCurrency = lines.every((l) => l.offer.price.currency === currency);
  const total = lines.reduce((n, l) => n + l.offer.price.amount * l.quantity, 0);
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={onRemove ? 720 : 600}>
        <Table aria-label={t('place.lines.table')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tracking.product')}</Table.Th>
              <Table.Th>{t('tracking.offer')}</Table.Th>
              <Table.Th ta="right">{t('tracking.quantity')}</Table.Th>
              <Table.Th ta="right">{t('tracking.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('tracking.lineTotal')}</Table.Th>
              {onRemove ? (
                <Table.Th>
                  <VisuallyHidden>{t('place.lines.actions')}</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.offer.id}>
                <Table.Td>{l.product.name}</Table.Td>
                <Table.Td>{t(`offer.${offerKind(l.offer)}`)}</Table.Td>
                <Table.Td ta="right">{f.number(l.quantity)}</Table.Td>
                <Table.Td ta="right">{f.money(l.offer.price)}</Table.Td>
                <Table.Td ta="right">{f.money({ amount: l.offer.price.amount * l.quantity, currency: l.offer.price.currency })}</Table.Td>
                {onRemove ? (
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red.9" onClick={() => onRemove(l.offer.id)} aria-label={t('place.lines.removeLabel', { name: l.product.name, offer: t(`offer.${offerKind(l.offer)}`) })}>
                      {t('place.lines.remove')}
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {oneCurrency && currency ? (
        <Text fw={700} size="lg">
          {t('place.lines.total')}: {f.money({ amount: total, currency })}
        </Text>
      ) : null}
      <Text size="sm">{t('place.lines.pricesNote')}</Text>
    </Stack>
  );
}
