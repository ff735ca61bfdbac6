import { PageHeader } from '../../ui/PageHeader';

export function DomainsPage() {
  return <PageHeader title="DomainsPage" />;
}
