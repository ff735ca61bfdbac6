import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('language.label')}
      size="xs"
      value={i18n.language}
      onChange={(e) => setLanguage(e.currentTarget.value as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
    />
  );
}
