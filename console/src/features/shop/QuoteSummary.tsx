import { Alert, Button, Group, List, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { FiguresTable } from '../billing/FiguresTable';
import { showsFigures } from '../billing/format';
import { offerKind } from './offers';
import type { LineFigures, Quote, QuoteChange, QuoteLine, QuoteStep, TaxTreatment } from './quote';

/** The words of a quote's lines where they differ by screen (the staff order names its table and offers in its own words). */
export interface QuoteTexts {
  title: string;
  table: string;
  offer: (line: QuoteLine) => string;
}

/** A VAT rate in the user's language (1900 → "19 %"). */
function usePercent() {
  const { i18n } = useTranslation();
  return (bps: number) => new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 2 }).format(bps / 10000);
}

const MENTIONS: Partial<Record<TaxTreatment, 'quote.mention.reverseCharge' | 'quote.mention.outsideScope'>> = {
  reverse_charge: 'quote.mention.reverseCharge',
  outside_scope: 'quote.mention.outsideScope',
};

/**
 * A quote as the buyer reads it before confirming: who sells it and until when the prices hold,
 * each line (licenses × price, its VAT rate, its net), the net, the VAT of each rate on its net,
 * the gross, and the reverse-charge or outside-scope mention. An untaxed quote (a seller without
 * tax details) has no VAT rows. With `margins`, the lines' figures as the API gave them to staff.
 */
export function QuoteSummary({ quote, margins = false, texts }: { quote: Quote; margins?: boolean; texts?: QuoteTexts }) {
  const { t } = useTranslation('shop');
  const f = useFormat();
  const percent = usePercent();
  const narrow = useMediaQuery('(max-width: 36em)');
  const taxed = quote.taxTreatment !== 'untaxed';
  const mention = MENTIONS[quote.taxTreatment];
  const offer = texts?.offer ?? ((l: QuoteLine) => t(`offer.${offerKind(l)}.title`));
  const tableLabel = texts?.table ?? t('checkout.review.lines');
  const taxes = [...quote.taxes].sort((a, b) => b.rateBps - a.rateBps);

  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {texts?.title ?? t('checkout.review.lines')}
      </Title>
      <Text>{t('quote.seller', { name: quote.seller.name })}</Text>
      <Text size="sm">{t('quote.validUntil', { time: f.dateTime(quote.expiresAt) })}</Text>
      {narrow ? (
        <Table aria-label={tableLabel} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('cart.product')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('quote.net')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {quote.lines.map((l) => (
              <Table.Tr key={l.offerId} style={{ verticalAlign: 'top' }}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Text size="sm" fw={600}>
                    {l.name}
                  </Text>
                  <Text size="xs">{offer(l)}</Text>
                  {l.firstTermEnd ? <Text size="xs">{t('quote.firstTerm', { date: f.date(l.firstTermEnd) })}</Text> : null}
                  <Text size="xs">
                    {t('quote.lineFigures', { quantity: f.number(l.quantity), unitPrice: f.money(l.unitPrice) })}
                    {taxed ? ` · ${t('quote.vatRate', { rate: percent(l.rateBps) })}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {f.money(l.total)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={tableLabel}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('cart.product')}</Table.Th>
                <Table.Th scope="col">{t('cart.offer')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('cart.quantity')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('cart.unitPrice')}
                </Table.Th>
                {taxed ? (
                  <Table.Th scope="col" ta="right">
                    {t('quote.vat')}
                  </Table.Th>
                ) : null}
                <Table.Th scope="col" ta="right">
                  {t('quote.net')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {quote.lines.map((l) => (
                <Table.Tr key={l.offerId}>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td>
                    {offer(l)}
                    {l.firstTermEnd ? (
                      <Text size="xs" component="span" display="block">
                        {t('quote.firstTerm', { date: f.date(l.firstTermEnd) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right">{f.number(l.quantity)}</Table.Td>
                  <Table.Td ta="right">{f.money(l.unitPrice)}</Table.Td>
                  {taxed ? <Table.Td ta="right">{percent(l.rateBps)}</Table.Td> : null}
                  <Table.Td ta="right">{f.money(l.total)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Stack gap={4} component="dl" m={0} maw={narrow ? undefined : 420} ml={narrow ? undefined : 'auto'} w="100%">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text component="dt">{t('quote.netTotal')}</Text>
          <Text component="dd" m={0} style={{ whiteSpace: 'nowrap' }}>
            {f.money(quote.net)}
          </Text>
        </Group>
        {taxed
          ? taxes.map((x) => (
              <Group key={x.rateBps} justify="space-between" wrap="nowrap" gap="sm">
                <Text component="dt">{t('quote.vatOn', { rate: percent(x.rateBps), net: f.money(x.net) })}</Text>
                <Text component="dd" m={0} style={{ whiteSpace: 'nowrap' }}>
                  {f.money(x.tax)}
                </Text>
              </Group>
            ))
          : null}
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text component="dt" fw={700}>
            {t('quote.gross')}
          </Text>
          <Text component="dd" m={0} fw={700} size="lg" style={{ whiteSpace: 'nowrap' }}>
            {f.money(quote.total)}
          </Text>
        </Group>
      </Stack>
      {mention ? <Text size="sm">{t(mention)}</Text> : null}
      <Text size="sm">{t('quote.perPeriod')}</Text>
      {margins && showsFigures(quote.lines) ? (
        <Stack gap="xs" mt="sm">
          <Title order={3} size="h4">
            {t('quote.margins')}
          </Title>
          <Text size="sm">{t('quote.marginsHint')}</Text>
          <FiguresTable rows={quote.lines.map((l) => ({ key: l.offerId, label: `${l.name} · ${offer(l)}`, figures: l.figures }))} caption={t('quote.margins')} />
        </Stack>
      ) : null}
    </Stack>
  );
}

/** What a 409 `price_changed` said, in sentences: per offer the quoted and the current figures, then the totals. */
function Changes({ changes }: { changes: QuoteChange[] }) {
  const { t } = useTranslation('shop');
  const f = useFormat();
  const percent = usePercent();
  const figures = (l: LineFigures) => t('quote.changed.figures', { quantity: f.number(l.quantity), unitPrice: f.money(l.unitPrice), total: f.money(l.total), rate: percent(l.rateBps) });
  const sentence = (c: QuoteChange) => {
    if (c.kind === 'total') {
      const treatment = c.quoted.taxTreatment !== c.now.taxTreatment ? ` ${t('quote.changed.treatment', { before: t(`quote.treatment.${c.quoted.taxTreatment}`), now: t(`quote.treatment.${c.now.taxTreatment}`) })}` : '';
      return t('quote.changed.total', { beforeNet: f.money(c.quoted.net), beforeGross: f.money(c.quoted.total), nowNet: f.money(c.now.net), nowGross: f.money(c.now.total) }) + treatment;
    }
    if (!c.quoted && c.now) return t('quote.changed.added', { name: c.name, now: figures(c.now) });
    if (c.quoted && !c.now) return t('quote.changed.removed', { name: c.name, before: figures(c.quoted) });
    return t('quote.changed.line', { name: c.name, before: figures(c.quoted!), now: figures(c.now!) });
  };
  if (!changes.length) return null;
  return (
    <List size="sm" spacing={4}>
      {changes.map((c) => (
        <List.Item key={c.kind === 'line' ? c.offerId : 'total'}>{sentence(c)}</List.Item>
      ))}
    </List>
  );
}

/**
 * The quote step in a review: the reason a confirmation was refused (a price changed, the quote
 * expired) above the fresh quote, a skeleton while it is asked for, and a refusal of the quote
 * itself with a way to ask again.
 */
export function QuotePanel({ step, margins, texts }: { step: QuoteStep; margins?: boolean; texts?: QuoteTexts }) {
  const { t } = useTranslation('shop');
  const { notice, quote, error, pending } = step;
  return (
    <Stack gap="sm">
      {notice?.kind === 'changed' ? (
        <Alert color="yellow" variant="light" title={t('quote.changed.title')} role="alert">
          <Stack gap="xs">
            <Changes changes={notice.changes} />
            <Text size="sm">{t('quote.changed.confirmAgain')}</Text>
          </Stack>
        </Alert>
      ) : notice?.kind === 'expired' ? (
        <Alert color="blue" variant="light" role="status">
          {t('quote.expired')}
        </Alert>
      ) : null}
      {quote ? (
        <QuoteSummary quote={quote} margins={margins} texts={texts} />
      ) : pending ? (
        <Skeleton h={200} />
      ) : error ? (
        <Stack gap="xs" align="flex-start">
          <ErrorAlert error={error} title={t('quote.failed')} />
          <Button variant="default" onClick={step.start}>
            {t('quote.retry')}
          </Button>
        </Stack>
      ) : null}
    </Stack>
  );
}
