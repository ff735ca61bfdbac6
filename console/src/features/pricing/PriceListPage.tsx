import { Alert, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { personaOf, useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from '../catalog/readable';
import { Item } from '../customers/AccountSummary';
import { useAccount } from '../customers/queries';
import { AddRuleModal, type RuleStart } from './AddRuleModal';
import { formatMarkup, groupRules, listMarkup, todayUtc, type PriceList, type RuleGroup, type RuleVersion } from './format';
import { categoryName, useCatalogNames, VersionBadge, type OfferInfo } from './parts';
import { usePriceList, type Product } from './queries';

/**
 * One price list: whose it is, whom it sells to, its currency and markup in effect, and every
 * rule with all its versions (the one in effect today marked). Staff admins add a rule version,
 * to a rule shown or a new one.
 */
export function PriceListPage() {
  const { t } = useTranslation('pricing');
  const { priceListId } = useParams({ from: '/app/price-lists/$priceListId' });
  const me = useMe();
  const list = usePriceList(priceListId);
  const l = list.data;
  const owner = useAccount(l?.accountId);
  const own = !!l && l.accountId === me.data?.accountId;

  return (
    <Stack gap="md" style={readable}>
      <div>
        {l && !own ? (
          <AnchorLink size="sm" to="/price-lists" search={{ accountId: l.accountId }}>
            {owner.data ? t('list.backOf', { name: owner.data.name }) : t('list.back')}
          </AnchorLink>
        ) : (
          <AnchorLink size="sm" to="/price-lists" search={{}}>
            {t('list.back')}
          </AnchorLink>
        )}
      </div>
      {l ? (
        <ListView list={l} ownerName={owner.data?.name} ownerIsReseller={owner.data?.type === 'reseller'} canAdd={me.data ? personaOf(me.data) === 'staffAdmin' : false} />
      ) : list.error ? (
        <>
          <PageHeader title={t('lists.title')} />
          {list.error instanceof ApiError && list.error.status === 404 ? <Alert color="yellow">{t('list.notFound')}</Alert> : <ErrorAlert error={list.error} />}
        </>
      ) : (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      )}
    </Stack>
  );
}

function ListView({ list, ownerName, ownerIsReseller, canAdd }: { list: PriceList; ownerName: string | undefined; ownerIsReseller: boolean; canAdd: boolean }) {
  const { t, i18n } = useTranslation('pricing');
  const f = useFormat();
  const names = useCatalogNames();
  const [adding, { open, close }] = useDisclosure(false);
  const [start, setStart] = useState<RuleStart>({ scope: 'list' });
  const today = todayUtc();
  const groups = groupRules(list.rules, today);
  const markup = listMarkup(list.rules, today);
  const name = t('lists.name', { audience: t(`audience.${list.audience}`), currency: list.currency });
  const addTo = (s: RuleStart) => {
    setStart(s);
    open();
  };

  return (
    <>
      <PageHeader title={t('list.title', { name })}>
        {canAdd ? <Button onClick={() => addTo({ scope: 'list' })}>{t('list.addRule')}</Button> : null}
      </PageHeader>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="price-list-summary">
        <Title order={2} size="h4" mb="sm" id="price-list-summary">
          {t('list.summary')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md" component="dl" m={0}>
          <Item label={t('list.owner')}>{ownerName ?? t('state.loading', { ns: 'common' })}</Item>
          <Item label={t('lists.audience')}>{t(`audience.${list.audience}`)}</Item>
          <Item label={t('create.currency')}>{list.currency}</Item>
          <Item label={t('lists.markup')}>
            {markup.current ? t('list.markupSince', { markup: formatMarkup(markup.current.markupBps, i18n.language), date: f.date(markup.current.effectiveFrom) }) : t('lists.notYet')}
          </Item>
          {ownerIsReseller ? <Item label={t('lists.belowCost')}>{list.allowBelowCost ? t('list.belowCostAllowed') : t('list.belowCostRefused')}</Item> : null}
          <Item label={t('list.created')}>{f.dateTime(list.createdAt)}</Item>
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="price-list-rules">
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="price-list-rules">
              {t('list.rules')}
            </Title>
            <Text size="sm">{t('list.rulesHint')}</Text>
          </div>
          {groups.map((g) => (
            <RuleGroupView key={g.key} group={g} list={list} names={names} canAdd={canAdd} onAdd={addTo} />
          ))}
        </Stack>
      </Paper>
      {canAdd ? <AddRuleModal list={list} start={start} opened={adding} onClose={close} /> : null}
    </>
  );
}

/** A rule in words: "List markup", "Category: Productivity", "Product: …", "Offer: … (1 year, billed monthly)". */
export function ruleTitle(t: ReturnType<typeof useTranslation<'pricing'>>['t'], group: Pick<RuleGroup, 'scope' | 'target'>, products: Map<string, Product>, offers: Map<string, OfferInfo>): string {
  switch (group.scope) {
    case 'list':
      return t('rule.listTitle');
    case 'category':
      return t('rule.categoryTitle', { name: categoryName(t, group.target!) });
    case 'product':
      return t('rule.productTitle', { name: products.get(group.target!)?.name ?? group.target! });
    case 'offer': {
      const o = offers.get(group.target!);
      return t('rule.offerTitle', { name: o ? `${o.product} (${o.terms})` : group.target! });
    }
  }
}

function RuleGroupView({ group, list, names, canAdd, onAdd }: { group: RuleGroup; list: PriceList; names: ReturnType<typeof useCatalogNames>; canAdd: boolean; onAdd: (start: RuleStart) => void }) {
  const { t } = useTranslation('pricing');
  const f = useFormat();
  const title = ruleTitle(t, group, names.products, names.offers);
  const headingId = `rule-${group.key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const state = (v: RuleVersion) => (v === group.inEffect ? 'current' : v.effectiveFrom > todayUtc() ? 'scheduled' : 'past');
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" gap="xs">
        <Title order={3} size="h5" id={headingId} style={{ overflowWrap: 'anywhere' }}>
          {title}
        </Title>
        {canAdd ? (
          <Button size="xs" variant="default" onClick={() => onAdd({ scope: group.scope, target: group.target })} aria-label={t('list.newVersionOf', { rule: title })}>
            {t('list.newVersion')}
          </Button>
        ) : null}
      </Group>
      <Table.ScrollContainer minWidth={300} type="native" tabIndex={0} role="region" aria-label={t('list.versionsOf', { rule: title })}>
        <Table striped aria-label={t('list.versionsOf', { rule: title })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('list.from')}</Table.Th>
              <Table.Th scope="col">{t('list.value')}</Table.Th>
              <Table.Th scope="col">{t('list.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {group.versions.map((v) => (
              <Table.Tr key={`${v.effectiveFrom}-${v.createdAt}`}>
                <Table.Td>
                  <Text size="sm">{f.date(v.effectiveFrom)}</Text>
                  <Text size="xs" c="dimmed">
                    {t('list.added', { date: f.dateTime(v.createdAt) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <VersionValue version={v} currency={list.currency} />
                </Table.Td>
                <Table.Td>
                  <VersionBadge state={state(v)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** A version's value: a markup ("+20 %"), a fixed price, or the end of the rule. */
export function VersionValue({ version, currency }: { version: RuleVersion; currency: string }) {
  const { t, i18n } = useTranslation('pricing');
  const f = useFormat();
  const value = version.scope === 'offer' ? version.amount : version.markupBps;
  if (value === null) return <Text size="sm">{t('rule.ends')}</Text>;
  return (
    <Text size="sm" fw={600}>
      {version.scope === 'offer' ? t('rule.fixed', { price: f.money({ amount: value, currency }) }) : formatMarkup(value, i18n.language)}
    </Text>
  );
}
