import { Button, Group, MultiSelect, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { Notice } from '../auth/Notice';
import { useEditAccount } from '../customers/queries';
import { useProducts } from '../shop/queries';
import { useSelfService } from './queries';

/**
 * A customer admin's self-service settings (docs/product.md#self-service-subscriptions): the
 * products the account's users may buy themselves. Whether self-service is on at all is the
 * provider's to set; an empty list leaves every product to its users.
 */
export function SelfServicePage() {
  const { t } = useTranslation('account');
  const { account, allowed, products } = useSelfService();
  const catalog = useProducts({});
  const edit = useEditAccount();
  const [picked, setPicked] = useState<string[] | null>(null);
  const value = picked ?? products;
  const options = (catalog.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }));
  // A listed product no longer in the catalog's first page still shows, by its id.
  for (const id of value) if (!options.some((o) => o.value === id)) options.push({ value: id, label: id });

  const save = () => {
    if (!account.data) return;
    edit.mutate(
      { account: account.data, body: { settings: { selfServiceProducts: value } } },
      {
        onSuccess: () => {
          setPicked(null);
          notifications.show({ color: 'green', message: t('selfService.saved'), closeButtonProps: { 'aria-label': t('actions.close', { ns: 'common' }) } });
        },
      },
    );
  };

  return (
    <Stack maw={720}>
      <PageHeader title={t('selfService.title')} />
      <Text>{t('selfService.intro')}</Text>
      <ErrorAlert error={account.error ?? catalog.error} />
      {!account.data ? (
        <Skeleton h={160} />
      ) : (
        <>
          <Notice color={allowed ? 'blue' : 'gray'} role="status">
            {allowed ? t('selfService.on') : t('selfService.off')}
          </Notice>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="self-service-products">
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                save();
              }}
            >
              <Stack>
                <Title order={2} size="h3" id="self-service-products">
                  {t('selfService.productsTitle')}
                </Title>
                <MultiSelect
                  label={t('selfService.products')}
                  description={value.length ? t('selfService.productsSome', { count: value.length }) : t('selfService.productsAll')}
                  placeholder={t('selfService.productsPlaceholder')}
                  nothingFoundMessage={t('selfService.nothingFound')}
                  data={options}
                  value={value}
                  onChange={setPicked}
                  searchable
                  clearable
                  hidePickedOptions
                  disabled={catalog.isPending}
                  comboboxProps={{ withinPortal: true }}
                />
                <ErrorAlert error={edit.error} />
                <Group>
                  <Button type="submit" loading={edit.isPending} disabled={picked === null}>
                    {t('actions.save', { ns: 'common' })}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
        </>
      )}
    </Stack>
  );
}
