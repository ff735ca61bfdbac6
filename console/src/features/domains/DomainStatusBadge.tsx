import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Domain } from './queries';

const COLORS: Record<Domain['status'], string> = { active: 'green', pending: 'blue', pending_partner_acceptance: 'orange', failed: 'red' };

/** A domain's status in words (never colour alone). */
export function DomainStatusBadge({ status }: { status: Domain['status'] }) {
  const { t } = useTranslation('domains');
  return (
    <Badge color={COLORS[status]} variant="light" autoContrast>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function DomainModeBadge({ mode }: { mode: Domain['mode'] }) {
  const { t } = useTranslation('domains');
  return (
    <Badge color="gray" variant="outline" autoContrast>
      {t(`mode.${mode}`)}
    </Badge>
  );
}
