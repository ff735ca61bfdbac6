import { PageHeader } from '../../ui/PageHeader';

export function PaymentMethodsPage() {
  return <PageHeader title="PaymentMethodsPage" />;
}
