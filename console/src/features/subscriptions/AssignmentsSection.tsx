import { Button, Card, Group, Modal, MultiSelect, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import type { Me } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { MAX_ASSIGN, useAccountUsers, useAssign, useAssignments, useUnassign, type Subscription, type User } from './queries';
import { readableDescription } from './labels';
import { useUserSearch } from './userSearch';

const fullName = (u: Pick<User, 'firstName' | 'lastName'>) => `${u.firstName} ${u.lastName}`;

/** Who holds a license, assigning up to 20 users at once with type-ahead, and taking licenses back. */
export function AssignmentsSection({ sub, me, mayManage }: { sub: Subscription; me: Me; mayManage: boolean }) {
  const { t } = useTranslation('subscriptions');
  const f = useFormat();
  const assignments = useAssignments(sub.id);
  // Names come from the account's users, which only admins (and staff) may read.
  const canReadUsers = me.role === 'admin';
  const users = useAccountUsers(canReadUsers ? sub.accountId : undefined);
  const unassign = useUnassign(sub.id);
  const [assignOpen, setAssignOpen] = useState(false);
  const byId = new Map((users.data ?? []).map((u) => [u.id, u]));
  const items = assignments.data?.pages.flatMap((p) => p.items) ?? [];
  const free = Math.max(0, sub.quantity - sub.assignedCount);
  const active = sub.status === 'active';

  const nameOf = (userId: string) => {
    const u = byId.get(userId);
    if (u) return fullName(u);
    if (userId === me.id) return t('assignments.you', { name: fullName(me) });
    return t('assignments.unknownUser', { id: userId });
  };

  const confirmUnassign = (userId: string) => {
    const name = nameOf(userId);
    modals.openConfirmModal({
      title: t('assignments.unassignTitle'),
      children: <Text size="sm">{t('assignments.unassignConfirm', { name, product: sub.name })}</Text>,
      labels: { confirm: t('assignments.unassign'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: 'red.9' },
      closeButtonProps: { 'aria-label': t('actions.close', { ns: 'common' }) },
      onConfirm: () => unassign.mutate([userId], { onSuccess: () => notifications.show({ color: 'green', message: t('assignments.unassigned', { name }) }) }),
    });
  };

  return (
    <Card withBorder component="section" aria-labelledby="sub-assignments">
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Title order={2} size="h4" id="sub-assignments">
            {t('assignments.title')}
          </Title>
          {mayManage && active && canReadUsers ? <Button onClick={() => setAssignOpen(true)}>{t('assignments.open')}</Button> : null}
        </Group>
        <Text>{t('assignments.free', { free, quantity: sub.quantity })}</Text>
        {mayManage && !canReadUsers ? <Text size="sm">{t('assignments.noPicker')}</Text> : null}
        <ErrorAlert error={assignments.error ?? users.error} />
        <ErrorAlert error={unassign.error} />
        {assignments.isPending ? (
          <Skeleton h={64} />
        ) : items.length === 0 ? (
          <Text>{t('assignments.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label={t('assignments.tableLabel')} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('assignments.user')}</Table.Th>
                  <Table.Th>{t('assignments.login')}</Table.Th>
                  <Table.Th>{t('assignments.assignedAt')}</Table.Th>
                  {mayManage ? <Table.Th>{t('assignments.actions')}</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => (
                  <Table.Tr key={a.userId}>
                    <Table.Td>{nameOf(a.userId)}</Table.Td>
                    <Table.Td>{byId.get(a.userId)?.login ?? (a.userId === me.id ? me.login : t('state.none', { ns: 'common' }))}</Table.Td>
                    <Table.Td>{f.date(a.assignedAt)}</Table.Td>
                    {mayManage ? (
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          aria-label={t('assignments.unassignLabel', { name: nameOf(a.userId) })}
                          loading={unassign.isPending && unassign.variables?.[0] === a.userId}
                          onClick={() => confirmUnassign(a.userId)}
                        >
                          {t('assignments.unassign')}
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {assignments.hasNextPage ? (
          <Group>
            <Button variant="default" onClick={() => void assignments.fetchNextPage()} loading={assignments.isFetchingNextPage}>
              {t('actions.loadMore', { ns: 'common' })}
            </Button>
          </Group>
        ) : null}
      </Stack>
      {assignOpen ? (
        <AssignDialog
          sub={sub}
          candidates={(users.data ?? []).filter((u) => u.status !== 'deactivated' && !items.some((a) => a.userId === u.id))}
          assigned={items.map((a) => a.userId)}
          loading={users.isPending}
          nameOf={nameOf}
          onClose={() => setAssignOpen(false)}
        />
      ) : null}
    </Card>
  );
}

function AssignDialog({
  sub,
  candidates,
  loading,
  nameOf,
  onClose,
  assigned,
}: {
  sub: Subscription;
  candidates: User[];
  /** Who holds a license already (never offered again). */
  assigned: string[];
  loading: boolean;
  nameOf: (id: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation('subscriptions');
  const assign = useAssign(sub.id);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  // Typing asks the API (`?q=`, names and logins without case or accents); the picked keep their labels.
  const [searchValue, setSearchValue] = useState('');
  const [typed] = useDebouncedValue(searchValue.trim(), 250);
  const found = useUserSearch(sub.accountId, typed);
  const [labels, setLabels] = useState(new Map<string, string>());
  const offered = typed ? (found.data?.items ?? []).filter((u) => u.status !== 'deactivated' && !assigned.includes(u.id)) : candidates;
  const labelOf = (u: User) => `${fullName(u)} (${u.login})`;
  const options = [...offered.map((u) => ({ value: u.id, label: labelOf(u) }))];
  for (const id of picked) if (!options.some((o) => o.value === id)) options.push({ value: id, label: labels.get(id) ?? nameOf(id) });
  const free = Math.max(0, sub.quantity - sub.assignedCount);

  const submit = () => {
    if (picked.length === 0) return setError(t('assignments.pickOne'));
    if (picked.length > free) return setError(t('assignments.tooMany', { free }));
    setError(undefined);
    assign.mutate(picked, {
      onSuccess: (answer) => {
        notifications.show({ color: 'green', message: t('assignments.assigned', { count: (answer as { assigned?: string[] }).assigned?.length ?? picked.length }) });
        onClose();
      },
    });
  };
  const refused =
    assign.error instanceof ApiError && assign.error.code === 'user_not_assignable'
      ? assign.error.details.map((d) => (typeof d.userId === 'string' ? nameOf(d.userId) : '')).filter(Boolean)
      : [];

  return (
    <Modal opened onClose={onClose} title={t('assignments.dialogTitle')} size="lg" closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">{t('assignments.free', { free, quantity: sub.quantity })}</Text>
          <MultiSelect
            label={t('assignments.users')}
            styles={readableDescription}
            description={t('assignments.usersHint')}
            placeholder={t('assignments.usersPlaceholder')}
            nothingFoundMessage={t('assignments.nothingFound')}
            data={options}
            value={picked}
            onChange={(v) => {
              setLabels((prev) => new Map([...prev, ...offered.filter((u) => v.includes(u.id)).map((u) => [u.id, labelOf(u)] as const)]));
              setPicked(v);
              setError(undefined);
            }}
            searchValue={searchValue}
            onSearchChange={setSearchValue}
            // The API found them (accents and case aside): shown as answered.
            filter={typed ? ({ options: all }) => all : undefined}
            maxValues={MAX_ASSIGN}
            searchable
            hidePickedOptions
            disabled={loading}
            error={error}
            data-autofocus
            comboboxProps={{ withinPortal: true }}
          />
          <ErrorAlert error={assign.error} />
          {refused.length ? <Text size="sm">{t('assignments.notAssignable', { names: refused.join(', ') })}</Text> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel', { ns: 'common' })}
            </Button>
            <Button type="submit" loading={assign.isPending}>
              {t('assignments.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
