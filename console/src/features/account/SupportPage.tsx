import { PageHeader } from '../../ui/PageHeader';

export function SupportPage() {
  return <PageHeader title="SupportPage" />;
}
