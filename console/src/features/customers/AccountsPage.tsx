import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

// Placeholder while the screen is being built.
export function CustomersPage() {
  const { t } = useTranslation('customers');
  return <PageHeader title={t('title')} />;
}
export function ResellersPage() {
  const { t } = useTranslation('customers');
  return <PageHeader title={t('title')} />;
}
