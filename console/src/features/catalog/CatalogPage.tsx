import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

// Placeholder while the screen is being built.
export function CatalogPage() {
  const { t } = useTranslation('catalog');
  return <PageHeader title={t('title')} />;
}
