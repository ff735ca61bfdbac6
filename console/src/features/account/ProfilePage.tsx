import { PageHeader } from '../../ui/PageHeader';

export function ProfilePage() {
  return <PageHeader title="ProfilePage" />;
}
