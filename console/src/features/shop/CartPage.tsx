import { PageHeader } from '../../ui/PageHeader';

export function CartPage() {
  return <PageHeader title="CartPage" />;
}
