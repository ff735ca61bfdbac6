import { PageHeader } from '../../ui/PageHeader';

export function ConfirmLoginPage() {
  return <PageHeader title="ConfirmLoginPage" />;
}
