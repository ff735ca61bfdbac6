import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AccountStatus } from './queries';

const COLORS: Record<AccountStatus, string> = { active: 'green', suspended: 'red' };

/** An account's status in words (never colour alone). */
export function AccountStatusBadge({ status }: { status: AccountStatus }) {
  const { t } = useTranslation('customers');
  return (
    <Badge color={COLORS[status]} variant="light" autoContrast>
      {t(`status.${status}`)}
    </Badge>
  );
}
