import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

// Placeholder while the screen is being built.
export function AuditPage() {
  const { t } = useTranslation('audit');
  return <PageHeader title={t('title')} />;
}
