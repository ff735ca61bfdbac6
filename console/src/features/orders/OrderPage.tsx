import { PageHeader } from '../../ui/PageHeader';

export function OrderPage() {
  return <PageHeader title="OrderPage" />;
}
