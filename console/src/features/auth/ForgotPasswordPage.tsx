import { PageHeader } from '../../ui/PageHeader';

export function ForgotPasswordPage() {
  return <PageHeader title="ForgotPasswordPage" />;
}
