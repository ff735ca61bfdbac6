import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { cachedUser, useLoginHistory, type User } from './queries';

/**
 * Sign-in attempts on a user, newest first: when, the outcome, from where, and who (the user, or
 * an admin who logged in as them). An actor is named from what the console already read (no
 * request per row); one it does not know (a provider's staff) is "an administrator".
 */
export function LoginHistory({ user }: { user: User }) {
  const { t } = useTranslation('users');
  const fmt = useFormat();
  const me = useMe();
  const queryClient = useQueryClient();
  const history = useLoginHistory(user.id);
  const events = history.data?.pages.flatMap((p) => p.items) ?? [];
  const none = t('state.none', { ns: 'common' });

  const actorName = (actor: string | null) => {
    if (!actor) return t('history.theUser');
    if (actor === (me.data?.actingAs?.actorUserId ?? me.data?.id)) return t('history.you');
    const known = cachedUser(queryClient, actor);
    return known ? `${known.firstName} ${known.lastName}` : t('history.otherAdmin');
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('history.title')}
        </Title>
        <ErrorAlert error={history.error} />
        {history.data && events.length === 0 ? <Text>{t('history.empty')}</Text> : null}
        {events.length ? (
          <Table.ScrollContainer minWidth={760} type="native" tabIndex={0} role="region" aria-label={t('history.title')}>
            <Table striped aria-label={t('history.tableLabel', { name: `${user.firstName} ${user.lastName}` })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('history.at')}</Table.Th>
                  <Table.Th scope="col">{t('history.outcome')}</Table.Th>
                  <Table.Th scope="col">{t('history.ip')}</Table.Th>
                  <Table.Th scope="col">{t('history.userAgent')}</Table.Th>
                  <Table.Th scope="col">{t('history.actor')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((e, i) => (
                  <Table.Tr key={`${e.at}-${i}`}>
                    <Table.Td>{fmt.dateTime(e.at)}</Table.Td>
                    <Table.Td>
                      <Badge color={e.outcome === 'success' ? 'green' : 'red'} variant="dot" tt="none">
                        {t(`history.${e.outcome}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{e.ip ?? none}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {e.userAgent ?? none}
                      </Text>
                    </Table.Td>
                    <Table.Td>{actorName(e.actor)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
        {history.hasNextPage ? (
          <Group>
            <Button variant="default" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
              {t('history.loadMore')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
