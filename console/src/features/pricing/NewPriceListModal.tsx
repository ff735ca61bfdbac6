import { Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { readable } from '../catalog/readable';
import { bpsOfPercent, CURRENCIES, MAX_MARKUP_PERCENT, MIN_MARKUP_PERCENT, todayUtc, type Currency } from './format';
import { BelowCostTable, EffectiveDateInput, placeErrors, useCatalogNames } from './parts';
import type { OwnerType } from './PriceListsPage';
import { useCreatePriceList, type NewPriceList, type PriceListSummary } from './queries';

type Audience = NewPriceList['audience'];

interface Values {
  audience: Audience;
  currency: Currency;
  markup: number | string;
  effectiveFrom: string | null;
  allowBelowCost: boolean;
}

/**
 * A new list for an account: whom it sells to (a reseller keeps lists for its customers only), its
 * currency, its own markup and the day that markup starts. The distributor's staff may let a
 * reseller's list sell below what the reseller pays; nobody else is offered that.
 */
function NewPriceListForm({ accountId, ownerType, existing, byDistributor, onDone }: { accountId: string; ownerType: OwnerType; existing: PriceListSummary[]; byDistributor: boolean; onDone: () => void }) {
  const { t, i18n } = useTranslation('pricing');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const create = useCreatePriceList(accountId);
  const names = useCatalogNames(ownerType === 'reseller');
  const [onFields, setOnFields] = useState(false);
  const audiences: Audience[] = ownerType === 'distributor' ? ['resellers', 'customers'] : ['customers'];
  const free = (a: Audience) => CURRENCIES.find((c) => !existing.some((l) => l.audience === a && l.currency === c));
  const firstAudience = audiences.find((a) => free(a)) ?? audiences[0]!;
  const form = useForm<Values>({
    initialValues: { audience: firstAudience, currency: free(firstAudience) ?? 'EUR', markup: '', effectiveFrom: todayUtc(), allowBelowCost: false },
    validate: {
      currency: (v, values) => (existing.some((l) => l.audience === values.audience && l.currency === v) ? t('create.exists') : null),
      markup: (v) => (typeof v === 'number' && v >= MIN_MARKUP_PERCENT && v <= MAX_MARKUP_PERCENT ? null : t('form.markupInvalid')),
      effectiveFrom: (v) => (!v ? tc('field.required', { ns: 'errors' }) : v < todayUtc() ? t('form.pastDate') : null),
    },
  });

  const submit = form.onSubmit((v) => {
    const body: NewPriceList = {
      audience: v.audience,
      currency: v.currency,
      markupBps: bpsOfPercent(Number(v.markup)),
      effectiveFrom: v.effectiveFrom!,
      ...(byDistributor && ownerType === 'reseller' ? { allowBelowCost: v.allowBelowCost } : {}),
    };
    setOnFields(false);
    create.mutate(body, {
      onSuccess: (list) => {
        notifications.show({ color: 'green', message: t('create.done', { name: t('lists.name', { audience: t(`audience.${list.audience}`), currency: list.currency }) }) });
        onDone();
        void navigate({ to: '/price-lists/$priceListId', params: { priceListId: list.id } });
      },
      onError: (err) => setOnFields(placeErrors(form, err, tc, { markupBps: 'markup' })),
    });
  });

  const belowCost = create.error instanceof ApiError && create.error.code === 'below_cost';
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {audiences.length > 1 ? (
          <Radio.Group label={t('create.audience')} required {...form.getInputProps('audience')} onChange={(a) => {
            form.setFieldValue('audience', a as Audience);
            const c = free(a as Audience);
            if (c) form.setFieldValue('currency', c);
          }}>
            <Stack gap="xs" mt="xs">
              <Radio value="resellers" label={t('audience.resellers')} description={t('create.resellersHint')} />
              <Radio value="customers" label={t('audience.customers')} description={t('create.customersHint')} />
            </Stack>
          </Radio.Group>
        ) : (
          <Text size="sm">{t('create.customersOnly')}</Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect label={t('create.currency')} required data={CURRENCIES.map((c) => ({ value: c, label: c }))} {...form.getInputProps('currency')} />
          <NumberInput
            label={t('form.markup')}
            description={ownerType === 'reseller' ? t('form.markupHintReseller') : t('form.markupHintDistributor')}
            required
            min={MIN_MARKUP_PERCENT}
            max={MAX_MARKUP_PERCENT}
            decimalScale={2}
            decimalSeparator={i18n.language === 'en' ? '.' : ','}
            allowNegative
            clampBehavior="none"
            {...form.getInputProps('markup')}
          />
        </SimpleGrid>
        <EffectiveDateInput label={t('form.effectiveFrom')} description={t('form.effectiveFromHint')} inputProps={form.getInputProps('effectiveFrom')} />
        {byDistributor && ownerType === 'reseller' ? (
          <Checkbox label={t('create.allowBelowCost')} description={t('create.allowBelowCostHint')} {...form.getInputProps('allowBelowCost', { type: 'checkbox' })} />
        ) : null}
        <BelowCostTable error={create.error} offers={names.offers} />
        <ErrorAlert error={onFields || belowCost ? null : create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('create.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function NewPriceListModal(props: { accountId: string; ownerType: OwnerType; existing: PriceListSummary[]; byDistributor: boolean; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('pricing');
  const narrow = useMediaQuery('(max-width: 48em)');
  const { opened, onClose, ...rest } = props;
  return (
    <Modal style={readable} opened={opened} onClose={onClose} title={t('create.title')} size="lg" fullScreen={narrow} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {opened ? <NewPriceListForm {...rest} onDone={onClose} /> : null}
    </Modal>
  );
}
