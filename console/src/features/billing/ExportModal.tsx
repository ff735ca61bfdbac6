import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import 'dayjs/locale/de';
import 'dayjs/locale/es';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { useCalendarLabels } from '../../ui/calendar';
import { ErrorAlert } from '../../ui/errors';
import { previousMonth, thisMonth } from './format';
import { useExportInvoiceLines } from './queries';

type Range = [string | null, string | null];
const asRange = (r: { from: string; to: string }): Range => [r.from, r.to];

/**
 * The CSV export of invoice lines by issue date (default: last month, UTC days): for a customer its
 * own invoices; for staff one customer's (`accountId`) or every invoice in their scope. The API
 * decides the columns (staff also get cost, sell and margins, as far as they may see them) and
 * refuses a bad range (400) or an export too large for one answer (422 `export_too_large`): both
 * are shown next to the button.
 */
export function ExportButton({ accountId, scope }: { accountId?: string; scope: 'own' | 'account' | 'all' }) {
  const { t, i18n } = useTranslation('billing');
  const calendarLabels = useCalendarLabels();
  const [opened, setOpened] = useState(false);
  const [range, setRange] = useState<Range>(() => asRange(previousMonth()));
  const exporting = useExportInvoiceLines();
  const [from, to] = range;
  const error = exporting.error;
  const badRange = error instanceof ApiError && error.status === 400;

  const close = () => {
    setOpened(false);
    exporting.reset();
  };

  return (
    <>
      <Button variant="default" onClick={() => setOpened(true)}>
        {t('export.open')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('export.title')} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
        <Stack gap="sm">
          <Text size="sm">{t(`export.intro.${scope}`)}</Text>
          <DatesProvider settings={{ locale: i18n.language }}>
            <DatePickerInput
              type="range"
              label={t('export.range')}
              description={t('export.rangeHint')}
              value={range}
              allowSingleDateInRange
              onChange={([start, end]) => {
                exporting.reset();
                setRange([start ? String(start).slice(0, 10) : null, end ? String(end).slice(0, 10) : null]);
              }}
              valueFormat="D MMM YYYY"
              ariaLabels={calendarLabels}
              popoverProps={{ withinPortal: true }}
            />
          </DatesProvider>
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={() => setRange(asRange(previousMonth()))}>
              {t('export.lastMonth')}
            </Button>
            <Button variant="default" size="xs" onClick={() => setRange(asRange(thisMonth()))}>
              {t('export.thisMonth')}
            </Button>
          </Group>
          <ErrorAlert error={error} title={badRange ? t('export.badRange') : undefined} />
          <Group justify="flex-end">
            <Button onClick={() => from && to && exporting.mutate({ from, to, accountId })} disabled={!from || !to} loading={exporting.isPending}>
              {t('export.download')}
            </Button>
          </Group>
          {exporting.isSuccess ? (
            <Text size="sm" role="status">
              {t('export.done', { file: exporting.data })}
            </Text>
          ) : null}
        </Stack>
      </Modal>
    </>
  );
}
