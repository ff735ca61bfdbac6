import { useTranslation } from 'react-i18next';

/** The names of a date picker's controls (previous month, choose a year…) in the user's language, for Mantine's `ariaLabels`. */
export function useCalendarLabels() {
  const { t } = useTranslation();
  return {
    nextMonth: t('calendar.nextMonth'),
    previousMonth: t('calendar.previousMonth'),
    nextYear: t('calendar.nextYear'),
    previousYear: t('calendar.previousYear'),
    nextDecade: t('calendar.nextDecade'),
    previousDecade: t('calendar.previousDecade'),
    monthLevelControl: t('calendar.monthLevel'),
    yearLevelControl: t('calendar.yearLevel'),
    clearButtonLabel: t('calendar.clear'),
  };
}
