import { PageHeader } from '../../ui/PageHeader';

export function MyLicensesPage() {
  return <PageHeader title="MyLicensesPage" />;
}
