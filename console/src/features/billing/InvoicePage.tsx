import { PageHeader } from '../../ui/PageHeader';

export function InvoicePage() {
  return <PageHeader title="InvoicePage" />;
}
