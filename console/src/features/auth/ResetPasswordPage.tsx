import { PageHeader } from '../../ui/PageHeader';

export function ResetPasswordPage() {
  return <PageHeader title="ResetPasswordPage" />;
}
