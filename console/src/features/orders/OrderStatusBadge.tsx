import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OrderStatus } from './queries';

const COLOR: Record<OrderStatus, string> = { new: 'blue.9', open: 'indigo.9', provisioning: 'violet.9', completed: 'teal.9', failed: 'red.9', cancelled: 'dark.6' };

/** An order's status in words (never colour alone). */
export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation('orders');
  return (
    <Badge color={COLOR[status]} variant="filled" miw="max-content" style={{ flexShrink: 0 }}>
      {t(`status.${status}`)}
    </Badge>
  );
}
