import { Center, Group, Input, Loader, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { useCalendarLabels } from '../../ui/calendar';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from '../catalog/readable';
import { useAccount } from '../customers/queries';
import { figureColumns, type Figure } from './format';
import { Amount, offerTerms } from './parts';
import { usePriceSheet, type PriceSheet, type SheetItem } from './queries';

/**
 * What an account pays for each offer on a day, with the figures the caller may see, as the API
 * answers them (nothing is computed here): the distributor sees cost, reseller price, sell price
 * and both margins; a reseller looking at its customer its cost, its price and its margin; anyone
 * else the price. An offer without a price says why, in words.
 */
export function PriceSheetPage() {
  const { t, i18n } = useTranslation('pricing');
  const { accountId } = useParams({ from: '/app/customers/$accountId/prices' });
  const search = useSearch({ from: '/app/customers/$accountId/prices' });
  const navigate = useNavigate({ from: '/customers/$accountId/prices' });
  const me = useMe();
  const account = useAccount(accountId);
  const sheet = usePriceSheet(accountId, search.on);
  const calendarLabels = useCalendarLabels();
  const own = me.data?.accountId === accountId;
  const name = account.data?.name;
  const shown = search.show === 'priced' ? 'priced' : 'all';
  const items = useMemo(() => (sheet.data?.items ?? []).filter((i) => shown === 'all' || i.figures !== null), [sheet.data, shown]);
  const set = (patch: Partial<typeof search>) => void navigate({ search: (s) => ({ ...s, ...patch }), replace: true });

  return (
    <Stack gap="md" style={readable}>
      <div>
        {own ? (
          <AnchorLink size="sm" to="/price-lists" search={{}}>
            {t('list.back')}
          </AnchorLink>
        ) : (
          <AnchorLink size="sm" to="/customers/$accountId" params={{ accountId }}>
            {name ? t('sheet.back', { name }) : t('sheet.backToAccount')}
          </AnchorLink>
        )}
      </div>
      <PageHeader title={name ? t('sheet.titleOf', { name }) : t('sheet.title')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" role="search" aria-label={t('sheet.filters')}>
        <DatesProvider settings={{ locale: i18n.language }}>
          <DatePickerInput
            label={t('sheet.on')}
            description={t('sheet.onHint')}
            value={search.on ?? sheet.data?.on ?? null}
            onChange={(v) => set({ on: v ? String(v).slice(0, 10) : undefined })}
            clearable={!!search.on}
            valueFormat="D MMM YYYY"
            ariaLabels={calendarLabels}
          />
        </DatesProvider>
        <Stack gap={4}>
          <Input.Label labelElement="div" id="sheet-shown">
            {t('sheet.shown')}
          </Input.Label>
          <SegmentedControl
            aria-labelledby="sheet-shown"
            value={shown}
            onChange={(v) => set({ show: v === 'priced' ? 'priced' : undefined })}
            data={[
              { value: 'all', label: t('sheet.allOffers') },
              { value: 'priced', label: t('sheet.pricedOnly') },
            ]}
          />
        </Stack>
      </SimpleGrid>
      <ErrorAlert error={account.error ?? sheet.error} />
      {sheet.isPending && !sheet.error ? (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      ) : null}
      {sheet.data ? (
        <>
          <Text>{t(`sheet.viewer.${sheet.data.viewer}`, { currency: sheet.data.currency })}</Text>
          {items.length ? (
            <SheetTable sheet={sheet.data} items={items} />
          ) : (
            <Text role="status">{shown === 'priced' && sheet.data.items.length ? t('sheet.nonePriced') : t('sheet.empty')}</Text>
          )}
        </>
      ) : null}
    </Stack>
  );
}

/**
 * Why an offer has no price, in words. Below the distributor, a missing cost or distributor price
 * is the distributor's: the viewer is told it has not priced the offer, not about its costs.
 */
function Reason({ reason, viewer }: { reason: SheetItem['reason']; viewer: PriceSheet['viewer'] }) {
  const { t } = useTranslation('pricing');
  const key = !reason ? 'unknown' : viewer !== 'distributor' && reason !== 'no_reseller_price' ? 'notPricedAbove' : reason;
  return <Text size="sm">{t(`reason.${key}`)}</Text>;
}

function OfferCell({ item }: { item: SheetItem }) {
  const { t } = useTranslation('pricing');
  return (
    <>
      <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
        {item.name}
      </Text>
      <Text size="xs">{offerTerms(t, item)}</Text>
    </>
  );
}

function SheetTable({ sheet, items }: { sheet: PriceSheet; items: SheetItem[] }) {
  const { t } = useTranslation('pricing');
  const f = useFormat();
  const narrow = useMediaQuery('(max-width: 48em)');
  const columns = figureColumns(sheet.items);
  const label = (k: Figure) => t(`figure.${k}${k === 'cost' && sheet.viewer === 'reseller' ? 'Reseller' : ''}` as never);
  const tableLabel = t('sheet.table', { date: f.date(sheet.on) });

  // At 360 px two columns: the offer, and its figures one under the other.
  if (narrow) {
    return (
      <Table.ScrollContainer minWidth={300} type="native" tabIndex={0} role="region" aria-label={tableLabel}>
        <Table striped aria-label={tableLabel} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('sheet.offer')}</Table.Th>
              <Table.Th scope="col">{t('sheet.figures')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.offerId} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <OfferCell item={i} />
                </Table.Td>
                <Table.Td>
                  {i.figures ? (
                    <Stack gap={2} component="dl" m={0}>
                      {columns.map((k) =>
                        i.figures![k] ? (
                          <Group key={k} gap={6} justify="space-between" wrap="nowrap">
                            <Text component="dt" size="xs">
                              {label(k)}
                            </Text>
                            <Text component="dd" m={0}>
                              <Amount money={i.figures![k]} strong={k === 'sell'} />
                            </Text>
                          </Group>
                        ) : null,
                      )}
                    </Stack>
                  ) : (
                    <Reason reason={i.reason} viewer={sheet.viewer} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Table.ScrollContainer minWidth={280 + columns.length * 130} type="native" tabIndex={0} role="region" aria-label={tableLabel}>
      <Table striped aria-label={tableLabel} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('sheet.offer')}</Table.Th>
            <Table.Th scope="col">{t('sheet.sku')}</Table.Th>
            {columns.map((k) => (
              <Table.Th key={k} scope="col" ta="right">
                {label(k)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => (
            <Table.Tr key={i.offerId}>
              <Table.Td>
                <OfferCell item={i} />
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {i.sku}
                </Text>
              </Table.Td>
              {i.figures ? (
                columns.map((k) => (
                  <Table.Td key={k} ta="right">
                    {i.figures![k] ? <Amount money={i.figures![k]} strong={k === 'sell'} /> : <Text size="sm">{t('state.none', { ns: 'common' })}</Text>}
                  </Table.Td>
                ))
              ) : (
                <Table.Td colSpan={Math.max(columns.length, 1)}>
                  <Reason reason={i.reason} viewer={sheet.viewer} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
