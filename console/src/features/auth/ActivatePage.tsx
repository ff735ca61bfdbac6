import { PageHeader } from '../../ui/PageHeader';

export function ActivatePage() {
  return <PageHeader title="ActivatePage" />;
}
