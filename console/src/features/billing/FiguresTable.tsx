import { Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { figureColumns, figuresViewer, figureTotals, type Figure, type Money, type PriceFigures } from './format';

export interface FigureRow {
  key: string;
  /** What the line is (its description, or product and terms). */
  label: ReactNode;
  /** As the API gave it: null when no cost is known for the line. */
  figures: PriceFigures | null | undefined;
}

const MARGINS: readonly Figure[] = ['margin', 'distributorMargin', 'resellerMargin'];

/**
 * A margin below zero on a sale (sold under cost) is drawn in dark red, never by colour alone: the
 * minus sign stays. On a credit every figure is negative, and none of them is a warning.
 */
const belowCost = (k: Figure, figures: Partial<Record<Figure, Money>>) => MARGINS.includes(k) && (figures[k]?.amount ?? 0) < 0 && (figures.sell?.amount ?? 0) > 0;

function Amount({ money, strong, warn }: { money: Money | undefined; strong?: boolean; warn?: boolean }) {
  const f = useFormat();
  return (
    <Text span size="sm" fw={strong ? 700 : undefined} c={warn ? 'red.9' : undefined} style={{ whiteSpace: 'nowrap' }}>
      {f.money(money)}
    </Text>
  );
}

/**
 * Cost, sell price and margin per line as the API gives them to the seller and the accounts above
 * it (the buyer never gets them, so this shows only where lines carry `figures`), with each
 * column's sum. A line without a known cost says so and stays out of the sums.
 */
export function FiguresTable({ rows, caption }: { rows: FigureRow[]; caption?: string }) {
  const { t } = useTranslation('billing');
  const narrow = useMediaQuery('(max-width: 48em)');
  const columns = figureColumns(rows);
  const viewer = figuresViewer(rows);
  const { totals, missing } = figureTotals(rows);
  const label = (k: Figure) => t(`figures.${k === 'cost' && viewer === 'reseller' ? 'costReseller' : k}`);
  const tableLabel = caption ?? t('figures.table');
  if (!columns.length) return <Text size="sm">{t('figures.noneKnown')}</Text>;

  const figuresList = (figures: Partial<Record<Figure, Money>>, strong = false) => (
    <Stack gap={2} component="dl" m={0}>
      {columns.map((k) =>
        figures[k] ? (
          <Group key={k} gap={6} justify="space-between" wrap="nowrap">
            <Text component="dt" size="xs">
              {label(k)}
            </Text>
            <Text component="dd" m={0}>
              <Amount money={figures[k]} strong={strong || k === 'sell'} warn={belowCost(k, figures)} />
            </Text>
          </Group>
        ) : null,
      )}
    </Stack>
  );
  const noCost = <Text size="sm">{t('figures.noCost')}</Text>;

  const table = narrow ? (
    // At 360 px two columns: the line, and its figures one under the other.
    <Table.ScrollContainer minWidth={280} type="native" tabIndex={0} role="region" aria-label={tableLabel}>
      <Table striped aria-label={tableLabel} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('figures.line')}</Table.Th>
            <Table.Th scope="col">{t('figures.figures')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} style={{ verticalAlign: 'top' }}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{r.label}</Table.Td>
              <Table.Td>{r.figures ? figuresList(r.figures) : noCost}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr style={{ verticalAlign: 'top' }}>
            <Table.Th scope="row">{t('figures.total')}</Table.Th>
            <Table.Td>{figuresList(totals, true)}</Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  ) : (
    <Table.ScrollContainer minWidth={260 + columns.length * 130} type="native" tabIndex={0} role="region" aria-label={tableLabel}>
      <Table striped aria-label={tableLabel} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('figures.line')}</Table.Th>
            {columns.map((k) => (
              <Table.Th key={k} scope="col" ta="right">
                {label(k)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.label}</Table.Td>
              {r.figures ? (
                columns.map((k) => (
                  <Table.Td key={k} ta="right">
                    {r.figures![k] ? <Amount money={r.figures![k]} strong={k === 'sell'} warn={belowCost(k, r.figures!)} /> : <Text size="sm">{t('state.none', { ns: 'common' })}</Text>}
                  </Table.Td>
                ))
              ) : (
                <Table.Td colSpan={Math.max(columns.length, 1)}>{noCost}</Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">{t('figures.total')}</Table.Th>
            {columns.map((k) => (
              <Table.Td key={k} ta="right">
                <Amount money={totals[k]} strong warn={belowCost(k, totals)} />
              </Table.Td>
            ))}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );

  return (
    <Stack gap="xs">
      {table}
      {missing ? <Text size="sm">{t('figures.missing', { count: missing })}</Text> : null}
    </Stack>
  );
}

/**
 * The margins of a document's lines in a section of their own, apart from what the buyer reads
 * (and left out of the printout): shown only when the API gave the lines' figures, that is to the
 * seller and the accounts above it.
 */
export function MarginsSection({ rows, id }: { rows: FigureRow[]; id: string }) {
  const { t } = useTranslation('billing');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id} data-print-hide>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {t('figures.title')}
        </Title>
        <Text size="sm">{t('figures.hint')}</Text>
        <FiguresTable rows={rows} />
      </Stack>
    </Paper>
  );
}
