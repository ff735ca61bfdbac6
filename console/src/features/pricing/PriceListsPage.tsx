import { Badge, Button, Center, Loader, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { personaOf, useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { Notice } from '../auth/Notice';
import { readable } from '../catalog/readable';
import { AccountScope } from '../customers/AccountScope';
import { useAccount } from '../customers/queries';
import { formatMarkup, listMarkup, todayUtc } from './format';
import { NewPriceListModal } from './NewPriceListModal';
import { usePriceLists, usePriceListsWhole, type PriceListSummary } from './queries';

export type OwnerType = 'distributor' | 'reseller' | 'customer';

/**
 * The price lists an account keeps (staff): the caller's own, or with `?accountId=` those of an
 * account below (the distributor looking at a reseller's). Each list by whom it sells to and its
 * currency, with the list's own markup in effect today; staff admins create a list.
 */
export function PriceListsPage() {
  const { t } = useTranslation('pricing');
  const me = useMe();
  const search = useSearch({ from: '/app/price-lists' });
  const other = useAccount(search.accountId);
  const [creating, { open, close }] = useDisclosure(false);
  const persona = me.data ? personaOf(me.data) : undefined;
  const staff = persona === 'staffAdmin' || persona === 'staffUser';
  const accountId = search.accountId ?? me.data?.accountId;
  const ownerType: OwnerType | undefined = search.accountId ? other.data?.type : me.data?.accountType;
  const sells = staff && ownerType !== undefined && ownerType !== 'customer';
  const lists = usePriceLists(sells ? accountId : undefined);
  const canCreate = persona === 'staffAdmin' && sells;
  const title = search.accountId && other.data ? t('lists.titleOf', { name: other.data.name }) : t('lists.title');

  return (
    <Stack gap="md" style={readable}>
      <PageHeader title={title}>
        {canCreate ? <Button onClick={open}>{t('lists.new')}</Button> : null}
      </PageHeader>
      <AccountScope accountId={search.accountId} />
      {me.data && !staff ? (
        <Notice color="gray" role="status">
          {t('lists.notForYou')}
        </Notice>
      ) : ownerType === 'customer' ? (
        <Notice color="gray" role="status">
          {t('lists.customerAccount')}
        </Notice>
      ) : (
        <>
          <Text>{ownerType === 'reseller' ? t('lists.introReseller') : t('lists.introDistributor')}</Text>
          <ErrorAlert error={other.error ?? lists.error} />
          {lists.isPending && sells && !lists.error ? (
            <Center p="xl">
              <Loader aria-label={t('state.loading', { ns: 'common' })} />
            </Center>
          ) : null}
          {lists.data ? lists.data.items.length ? <ListsTable lists={lists.data.items} ownerType={ownerType!} /> : <Text role="status">{t('lists.empty')}</Text> : null}
          {persona === 'staffUser' ? <Text size="sm">{t('lists.readOnly')}</Text> : null}
          {ownerType === 'reseller' && accountId ? (
            <div>
              <AnchorLink to="/customers/$accountId/prices" params={{ accountId }}>
                {search.accountId ? t('lists.resellerSheet') : t('lists.ownSheet')}
              </AnchorLink>
            </div>
          ) : null}
        </>
      )}
      {canCreate && accountId && ownerType ? (
        <NewPriceListModal accountId={accountId} ownerType={ownerType} existing={lists.data?.items ?? []} byDistributor={me.data?.accountType === 'distributor'} opened={creating} onClose={close} />
      ) : null}
    </Stack>
  );
}

/** The lists, each with its own markup in effect today (read from the list itself: the summaries carry no rules). */
function ListsTable({ lists, ownerType }: { lists: PriceListSummary[]; ownerType: OwnerType }) {
  const { t, i18n } = useTranslation('pricing');
  const f = useFormat();
  const whole = usePriceListsWhole(lists.map((l) => l.id));
  const today = todayUtc();
  const sorted = [...lists].sort((a, b) => a.audience.localeCompare(b.audience) || a.currency.localeCompare(b.currency));
  return (
    <Table.ScrollContainer minWidth={300} type="native" tabIndex={0} role="region" aria-label={t('lists.table')}>
      <Table striped aria-label={t('lists.table')} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('lists.list')}</Table.Th>
            <Table.Th scope="col">{t('lists.markup')}</Table.Th>
            {ownerType === 'reseller' ? <Table.Th scope="col">{t('lists.belowCost')}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((l) => {
            const rules = whole[lists.indexOf(l)]?.data?.rules;
            const markup = rules ? listMarkup(rules, today) : undefined;
            return (
              <Table.Tr key={l.id}>
                <Table.Td>
                  <AnchorLink fw={500} to="/price-lists/$priceListId" params={{ priceListId: l.id }}>
                    {t('lists.name', { audience: t(`audience.${l.audience}`), currency: l.currency })}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>
                  {!markup ? (
                    <Loader size="xs" aria-label={t('state.loading', { ns: 'common' })} />
                  ) : (
                    <>
                      <Text size="sm" fw={600}>
                        {markup.current ? formatMarkup(markup.current.markupBps, i18n.language) : t('lists.notYet')}
                      </Text>
                      {markup.current ? <Text size="xs">{t('lists.since', { date: f.date(markup.current.effectiveFrom) })}</Text> : null}
                      {markup.next ? <Text size="xs">{t('lists.next', { markup: formatMarkup(markup.next.markupBps, i18n.language), date: f.date(markup.next.effectiveFrom) })}</Text> : null}
                    </>
                  )}
                </Table.Td>
                {ownerType === 'reseller' ? (
                  <Table.Td>
                    {l.allowBelowCost ? (
                      <Badge color="orange.9" variant="filled" tt="none" miw="max-content">
                        {t('lists.allowed')}
                      </Badge>
                    ) : (
                      <Text size="sm">{t('lists.refused')}</Text>
                    )}
                  </Table.Td>
                ) : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
