import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserStatus } from './queries';

const COLOR: Record<UserStatus, string> = { ready: 'green', locked: 'red', not_activated: 'yellow', deactivated: 'gray' };

/** A user's status in words (the colour only repeats it). */
export function UserStatusBadge({ status }: { status: UserStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOR[status]} variant="dot" tt="none">
      {t(`userStatus.${status}`)}
    </Badge>
  );
}
