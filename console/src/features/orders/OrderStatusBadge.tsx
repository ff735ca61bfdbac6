import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OrderStatus } from './queries';

const COLOR: Record<OrderStatus, string> = { new: 'blue.8', open: 'indigo.8', provisioning: 'violet.8', completed: 'green.9', failed: 'red.8', cancelled: 'dark' };

/** An order's status in words (never colour alone). */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation('orders');
  return (
    <Badge color={COLOR[status]} variant="filled">
      {t(`status.${status}`)}
    </Badge>
  );
}
