import { PageHeader } from '../../ui/PageHeader';

export function MarketplacePage() {
  return <PageHeader title="MarketplacePage" />;
}
