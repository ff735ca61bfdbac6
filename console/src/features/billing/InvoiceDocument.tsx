import { Alert, Flex, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { countryName, formatRate } from '../pricing/format';
import { amountDueIfDifferent, hasLineRates, partyBlock, taxMention, taxRows, type Invoice, type InvoiceParty } from './format';

/** A seller's or buyer's block: legal name, trading name, address, country, VAT id (as recorded on the invoice). */
export function PartyCard({ heading, party, id }: { heading: string; party: InvoiceParty | null; id: string }) {
  const { t, i18n } = useTranslation('billing');
  const block = party ? partyBlock(party, (code) => countryName(code, i18n.language)) : undefined;
  return (
    <Stack gap={2} component="section" aria-labelledby={id}>
      <Title order={2} size="h5" id={id}>
        {heading}
      </Title>
      {block ? (
        <>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {block.name}
          </Text>
          {block.tradingAs ? <Text size="sm">{t('invoice.tradingAs', { name: block.tradingAs })}</Text> : null}
          {block.address.map((line, i) => (
            <Text key={i} size="sm" style={{ overflowWrap: 'anywhere' }}>
              {line}
            </Text>
          ))}
          {block.vatId ? <Text size="sm">{t('invoice.vatId', { vatId: block.vatId })}</Text> : null}
        </>
      ) : (
        <Text size="sm">{t('invoice.partyUnknown')}</Text>
      )}
    </Stack>
  );
}

/** Both parties side by side (one under the other at 360 px). */
export function Parties({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('billing');
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <PartyCard heading={t('invoice.seller')} party={invoice.seller} id="invoice-seller" />
      <PartyCard heading={t('invoice.buyer')} party={invoice.buyer} id="invoice-buyer" />
    </SimpleGrid>
  );
}

/**
 * The lines as the buyer reads them: description, quantity, unit price, VAT rate and net amount.
 * At 360 px two columns: the line with its quantity, unit price and rate under it, and its amount.
 */
export function InvoiceLines({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation('billing');
  const fmt = useFormat();
  const narrow = useMediaQuery('(max-width: 48em)');
  const rates = hasLineRates(invoice.lines);
  const rate = (bps: number | undefined) => (bps === undefined ? t('state.none', { ns: 'common' }) : formatRate(bps, i18n.language));
  const label = t('invoice.linesLabel');

  if (narrow) {
    return (
      <Table.ScrollContainer minWidth={280} type="native" tabIndex={0} role="region" aria-label={label}>
        <Table aria-label={label} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('invoice.description')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('invoice.amount')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invoice.lines.map((line, i) => (
              <Table.Tr key={i} style={{ verticalAlign: 'top' }}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Text size="sm">{line.description}</Text>
                  <Text size="xs">
                    {t('invoice.lineDetail', { quantity: fmt.number(line.quantity), unitPrice: fmt.money(line.unitPrice) })}
                    {rates ? ` · ${t('invoice.lineRate', { rate: rate(line.rateBps) })}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {fmt.money(line.amount)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Table.ScrollContainer minWidth={560} type="native" tabIndex={0} role="region" aria-label={label}>
      <Table aria-label={label} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('invoice.description')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('invoice.quantity')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('invoice.unitPrice')}
            </Table.Th>
            {rates ? (
              <Table.Th scope="col" ta="right">
                {t('invoice.vat')}
              </Table.Th>
            ) : null}
            <Table.Th scope="col" ta="right">
              {t('invoice.amount')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoice.lines.map((line, i) => (
            <Table.Tr key={i}>
              <Table.Td>{line.description}</Table.Td>
              <Table.Td ta="right">{fmt.number(line.quantity)}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {fmt.money(line.unitPrice)}
              </Table.Td>
              {rates ? <Table.Td ta="right">{rate(line.rateBps)}</Table.Td> : null}
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {fmt.money(line.amount)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * Net, VAT per rate (on the net of that rate) and gross, then what is still due when a credit
 * note reduced it; an untaxed invoice shows its total only. The reverse-charge or outside-scope
 * mention follows, in the reader's language.
 */
export function InvoiceTotals({ invoice }: { invoice: Invoice }) {
  const { t, i18n } = useTranslation('billing');
  const fmt = useFormat();
  const taxes = taxRows(invoice);
  const due = amountDueIfDifferent(invoice);
  const mention = taxMention(invoice.taxTreatment);
  const row = (label: string, value: string, strong = false) => (
    <Group key={label} justify="space-between" gap="md" wrap="nowrap">
      <Text component="dt" size="sm" fw={strong ? 700 : undefined}>
        {label}
      </Text>
      <Text component="dd" m={0} size="sm" fw={strong ? 700 : undefined} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
    </Group>
  );
  return (
    <Stack gap="sm" align="stretch">
      <Flex justify="flex-end">
        <Stack gap={4} component="dl" m={0} w={{ base: '100%', sm: 400 }} aria-label={t('invoice.totalsLabel')}>
          {taxes ? row(t('invoice.netTotal'), fmt.money(invoice.net)) : null}
          {taxes?.map((tax) => row(t('invoice.taxLine', { rate: formatRate(tax.rateBps, i18n.language), net: fmt.money(tax.net) }), fmt.money(tax.tax)))}
          {row(t('invoice.total'), fmt.money(invoice.total), !due)}
          {due ? row(t('invoice.amountDue'), fmt.money(due), true) : null}
        </Stack>
      </Flex>
      {mention ? (
        <Alert color="blue" variant="light" p="sm" role="note">
          <Text size="sm">{t(`invoice.${mention}`)}</Text>
        </Alert>
      ) : null}
    </Stack>
  );
}
