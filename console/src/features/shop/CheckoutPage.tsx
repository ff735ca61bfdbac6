import { PageHeader } from '../../ui/PageHeader';

export function CheckoutPage() {
  return <PageHeader title="CheckoutPage" />;
}
