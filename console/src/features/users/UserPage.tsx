import { PageHeader } from '../../ui/PageHeader';

export function UserPage() {
  return <PageHeader title="UserPage" />;
}
