import { Badge, Button, Center, Group, Loader, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { AnchorLink } from '../../ui/links';
import { useCalendarLabels } from '../../ui/calendar';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from '../catalog/readable';
import { actionLabel, KNOWN_ACTIONS, resourceLabel, systemLabel } from './actions';
import { useAccount, useAuditEvents, usePeople, type AuditEvent, type User } from './queries';

/** A filtered page can come back short (the API filters after reading a page): read on until this many show, or ten pages. */
const ENOUGH = 20;
const MAX_AUTO_PAGES = 10;

/**
 * An account's audit trail, newest first: when, what (in words where the screen knows the action),
 * on which resource, who (under "log in as", the real person and the one acted as), from which IP
 * and with what result. Filtered by days, action and person; "load more" reads further back.
 */
export function AuditPage() {
  const { t, i18n } = useTranslation('audit');
  const { accountId } = useParams({ from: '/app/customers/$accountId/audit' });
  const search = useSearch({ from: '/app/customers/$accountId/audit' });
  const navigate = useNavigate({ from: '/customers/$accountId/audit' });
  const me = useMe();
  const account = useAccount(accountId);
  const events = useAuditEvents(accountId, { from: search.from, to: search.to, action: search.action, actorId: search.actor });
  const people = usePeople(accountId);
  const staff = usePeople(me.data && me.data.accountId !== accountId ? me.data.accountId : undefined);
  const set = (patch: Partial<typeof search>) => void navigate({ search: (s) => ({ ...s, ...patch }), replace: true });

  const items = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);
  const pages = events.data?.pages.length ?? 0;
  const filtered = !!(search.action || search.actor);
  useEffect(() => {
    if (filtered && events.hasNextPage && !events.isFetching && !events.error && items.length < ENOUGH && pages < MAX_AUTO_PAGES) void events.fetchNextPage();
  }, [filtered, events, items.length, pages]);

  const known = useMemo(() => {
    const byId = new Map<string, User>();
    for (const u of [...(people.data?.items ?? []), ...(staff.data?.items ?? [])]) byId.set(u.id, u);
    return byId;
  }, [people.data, staff.data]);
  const name = account.data?.name;

  return (
    <Stack gap="md" style={readable}>
      <AnchorLink size="sm" to="/customers/$accountId" params={{ accountId }}>
        {name ? t('back', { name }) : t('backToCustomer')}
      </AnchorLink>
      <PageHeader title={name ? t('heading', { name }) : t('title')} />
      <ErrorAlert error={account.error} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" role="search" aria-label={t('filter.label')}>
        <DatesProvider settings={{ locale: i18n.language }}>
          <DateRange from={search.from} to={search.to} onChange={set} />
        </DatesProvider>
        <ActionFilter value={search.action} onChange={(action) => set({ action })} />
        <Select
          label={t('filter.actor')}
          placeholder={t('filter.anyone')}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': t('filter.clearActor') }}
          nothingFoundMessage={t('filter.nobody')}
          data={actorOptions(t, people.data?.items, staff.data?.items, name, search.actor)}
          value={search.actor ?? null}
          onChange={(v) => set({ actor: v ?? undefined })}
        />
      </SimpleGrid>
      <ErrorAlert error={events.error} />
      {events.isPending && !events.error ? (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      ) : null}
      {events.data && items.length === 0 && !events.isFetching ? <Text role="status">{events.hasNextPage ? t('emptySoFar') : t('empty')}</Text> : null}
      {items.length ? <EventsTable events={items} known={known} /> : null}
      {events.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
            {t('loadMore')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function DateRange({ from, to, onChange }: { from?: string; to?: string; onChange: (patch: { from?: string; to?: string }) => void }) {
  const { t } = useTranslation('audit');
  const calendarLabels = useCalendarLabels();
  return (
    <>
      <DatePickerInput
        label={t('filter.from')}
        value={from ?? null}
        onChange={(v) => onChange({ from: v ? String(v).slice(0, 10) : undefined })}
        clearable
        maxDate={to}
        valueFormat="D MMM YYYY"
        ariaLabels={calendarLabels}
      />
      <DatePickerInput
        label={t('filter.to')}
        value={to ?? null}
        onChange={(v) => onChange({ to: v ? String(v).slice(0, 10) : undefined })}
        clearable
        minDate={from}
        valueFormat="D MMM YYYY"
        ariaLabels={calendarLabels}
      />
    </>
  );
}

/** The known actions in words, and whatever else is typed, taken as an exact action (`order.completed`, `PATCH /v1/…`). */
function ActionFilter({ value, onChange }: { value?: string; onChange: (action: string | undefined) => void }) {
  const { t, i18n } = useTranslation('audit');
  const [typed, setTyped] = useState('');
  const options = useMemo(
    () => KNOWN_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) })).sort((a, b) => a.label.localeCompare(b.label, i18n.language)),
    [t, i18n.language],
  );
  const text = typed.trim();
  const extra: Array<{ value: string; label: string }> = [];
  if (value && !KNOWN_ACTIONS.includes(value)) extra.push({ value, label: value });
  if (text && text !== value && !options.some((o) => o.label === text || o.value === text)) extra.push({ value: text, label: t('filter.exactAction', { action: text }) });
  return (
    <Select
      label={t('filter.action')}
      placeholder={t('filter.anyAction')}
      searchable
      clearable
      clearButtonProps={{ 'aria-label': t('filter.clearAction') }}
      data={[...extra, ...options]}
      value={value ?? null}
      searchValue={typed}
      onSearchChange={setTyped}
      onChange={(v) => onChange(v ?? undefined)}
      maxDropdownHeight={320}
    />
  );
}

type Option = { value: string; label: string };
type TFn = ReturnType<typeof useTranslation<'audit'>>['t'];

/** The account's people, then the caller's own staff (who log in as them), each group only when it has someone. */
function actorOptions(t: TFn, people: User[] | undefined, staff: User[] | undefined, account: string | undefined, chosen: string | undefined) {
  const option = (u: User): Option => ({ value: u.id, label: `${u.firstName} ${u.lastName}` });
  const groups = [
    { group: account ? t('filter.peopleOf', { name: account }) : t('filter.people'), items: (people ?? []).map(option) },
    { group: t('filter.staff'), items: (staff ?? []).map(option) },
  ].filter((g) => g.items.length);
  const listed = groups.some((g) => g.items.some((o) => o.value === chosen));
  return chosen && !listed ? [{ group: t('filter.other'), items: [{ value: chosen, label: chosen }] }, ...groups] : groups;
}

function EventsTable({ events, known }: { events: AuditEvent[]; known: Map<string, User> }) {
  const { t, i18n } = useTranslation('audit');
  const narrow = useMediaQuery('(max-width: 48em)');
  const when = useMemo(() => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }), [i18n.language]);
  const none = t('state.none', { ns: 'common' });
  const nameOf = (id: string) => {
    const u = known.get(id);
    return u ? `${u.firstName} ${u.lastName}` : undefined;
  };

  const who = (actor: AuditEvent['actor']) => {
    if ('system' in actor) return systemLabel(t, actor.system);
    // The API names both people; the lists read for the filter name them when it could not (a deleted user is null).
    const person = actor.userId ? (actor.name ?? nameOf(actor.userId) ?? t('who.unknown')) : t('who.anonymous');
    if (!actor.onBehalfOf) return person;
    return t('who.as', { actor: person, target: actor.onBehalfOfName ?? nameOf(actor.onBehalfOf) ?? t('who.unknown') });
  };

  const resource = (e: AuditEvent) => {
    const type = resourceLabel(t, e.resource.type);
    const number = e.details?.number;
    if (typeof number === 'string' || typeof number === 'number') return t('resourceNumber', { type, number: String(number) });
    const person = e.resource.type === 'user' && e.resource.id ? nameOf(e.resource.id) : undefined;
    return person ? t('resourceNamed', { type, name: person }) : type;
  };

  const result = (e: AuditEvent) =>
    e.status === null ? (
      none
    ) : (
      <Badge color={e.status < 400 ? 'teal.9' : 'red.9'} variant="filled" tt="none" miw="max-content">
        {t(e.status < 400 ? 'result.ok' : 'result.refused', { status: e.status })}
      </Badge>
    );
  const resourceCell = (e: AuditEvent) => (
    <>
      <Text size="sm">{resource(e)}</Text>
      {e.resource.id ? (
        <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {e.resource.id}
        </Text>
      ) : null}
    </>
  );

  // At 360 px two columns, what happened and who, each holding the rest of its event.
  if (narrow) {
    return (
      <Table.ScrollContainer minWidth={300} type="native" tabIndex={0} role="region" aria-label={t('table')}>
        <Table striped aria-label={t('table')} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('column.event')}</Table.Th>
              <Table.Th scope="col">{t('column.whoFrom')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.map((e, i) => (
              <Table.Tr key={`${e.at}-${i}`} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {when.format(new Date(e.at))}
                  </Text>
                  <Text size="sm" fw={500}>
                    {actionLabel(t, e.action)}
                  </Text>
                  {resourceCell(e)}
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <Text size="sm">{who(e.actor)}</Text>
                    {e.ip ? (
                      <Text size="xs" ff="monospace">
                        {e.ip}
                      </Text>
                    ) : null}
                    {result(e)}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Table.ScrollContainer minWidth={960} type="native" tabIndex={0} role="region" aria-label={t('table')}>
      <Table striped aria-label={t('table')} verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('column.when')}</Table.Th>
            <Table.Th scope="col">{t('column.what')}</Table.Th>
            <Table.Th scope="col">{t('column.resource')}</Table.Th>
            <Table.Th scope="col">{t('column.who')}</Table.Th>
            <Table.Th scope="col">{t('column.ip')}</Table.Th>
            <Table.Th scope="col">{t('column.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e, i) => (
            <Table.Tr key={`${e.at}-${i}`}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{when.format(new Date(e.at))}</Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {actionLabel(t, e.action)}
                </Text>
              </Table.Td>
              <Table.Td>{resourceCell(e)}</Table.Td>
              <Table.Td>
                <Text size="sm">{who(e.actor)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {e.ip ?? none}
                </Text>
              </Table.Td>
              <Table.Td>{result(e)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
