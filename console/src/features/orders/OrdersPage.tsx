import { PageHeader } from '../../ui/PageHeader';

export function OrdersPage() {
  return <PageHeader title="OrdersPage" />;
}
