import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InvoiceStatus } from './queries';

const COLORS: Record<InvoiceStatus, string> = { unpaid: 'blue', overdue: 'red', paid: 'green', void: 'gray' };

/** An invoice's status in words (never colour alone). */
export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  const { t } = useTranslation('billing');
  return (
    <Badge color={COLORS[status]} variant="light" autoContrast>
      {t(`status.${status}`)}
    </Badge>
  );
}
