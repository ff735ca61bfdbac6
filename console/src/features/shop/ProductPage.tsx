import { Alert, Anchor, Button, Group, NumberInput, Radio, Skeleton, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useParams } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { OfferOptions } from './OfferOptions';
import { sortedOffers } from './offers';
import { useAddToCart, useProduct, type Product } from './queries';
import { readable } from './readable';

/** A product with its offers explained in words, a quantity within the product's limits, and "Add to cart". */
export function ProductPage() {
  const { t } = useTranslation('shop');
  const { productId } = useParams({ from: '/app/marketplace/$productId' });
  const product = useProduct(productId);

  if (product.isPending) return <Skeleton h={300} />;
  if (product.error) {
    return (
      <Stack style={readable}>
        <PageHeader title={t('marketplace.title')} />
        {product.error instanceof ApiError && product.error.status === 404 ? <Alert color="yellow">{t('product.notFound')}</Alert> : <ErrorAlert error={product.error} />}
        <BackLink />
      </Stack>
    );
  }
  return <ProductView product={product.data} />;
}

function BackLink() {
  const { t } = useTranslation('shop');
  return (
    <Anchor component={Link} to="/marketplace" size="sm">
      {t('product.back')}
    </Anchor>
  );
}

function ProductView({ product }: { product: Product }) {
  const { t } = useTranslation('shop');
  const f = useFormat();
  const offers = sortedOffers(product.offers);
  const add = useAddToCart();
  const form = useForm({
    initialValues: { offerId: offers[0]?.id ?? '', quantity: Math.max(product.minQuantity, 1) as number | string },
    validate: {
      offerId: (v) => (v ? null : t('field.required', { ns: 'errors' })),
      quantity: (v) =>
        typeof v === 'number' && Number.isInteger(v) && v >= product.minQuantity && v <= product.maxQuantity
          ? null
          : t('product.quantityRange', { min: product.minQuantity, max: product.maxQuantity }),
    },
  });
  const chosen = offers.find((o) => o.id === form.values.offerId);
  const quantity = typeof form.values.quantity === 'number' ? form.values.quantity : 0;

  return (
    <Stack maw={760} style={readable}>
      <BackLink />
      <PageHeader title={product.name} />
      <Text>{product.description}</Text>
      <Text size="sm">{t('product.vendor', { vendor: product.vendor })}</Text>
      {product.requiresTenant ? <Text size="sm">{t('product.tenant')}</Text> : null}
      {product.requiresQualification ? (
        <Alert color="blue" variant="light">
          {t('product.qualification', { qualification: t(`offer.qualification.${product.requiresQualification}`) })}
        </Alert>
      ) : null}
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          add.mutate(
            { offerId: v.offerId, quantity: Number(v.quantity) },
            { onError: (err) => applyFieldErrors(form, err, t as unknown as TFunction, { quantity: 'quantity', offerId: 'offerId' }) },
          ),
        )}
      >
        <Stack>
          <Radio.Group label={t('product.offers')} required {...form.getInputProps('offerId')}>
            <OfferOptions offers={offers} title={(kind) => t(`offer.${kind}.title`)} explain={(kind) => t(`offer.${kind}.explain`)} />
          </Radio.Group>
          <NumberInput
            label={t('product.quantity')}
            description={t('product.quantityHint', { min: product.minQuantity, max: product.maxQuantity })}
            min={product.minQuantity}
            max={product.maxQuantity}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            required
            maw={240}
            {...form.getInputProps('quantity')}
          />
          {chosen && quantity > 0 ? (
            <Text fw={600} aria-live="polite">
              {t('product.total', {
                price: f.money({ amount: chosen.price.amount * quantity, currency: chosen.price.currency }),
                period: t(`offer.period.${chosen.billingPeriod}`),
                quantity: f.number(quantity),
              })}
            </Text>
          ) : null}
          <Text size="sm">{t('product.cancellation', { hours: product.cancellationWindowHours })}</Text>
          <ErrorAlert error={add.error && !(add.error instanceof ApiError && Object.keys(add.error.fieldErrors()).length) ? add.error : null} />
          {add.isSuccess ? (
            <Alert color="green" role="status" title={t('product.added', { quantity: add.variables.quantity, name: product.name })}>
              <Group gap="md">
                <Anchor component={Link} to="/cart">
                  {t('product.goToCart')}
                </Anchor>
                <Anchor component={Link} to="/marketplace">
                  {t('product.continue')}
                </Anchor>
              </Group>
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={add.isPending}>
              {t('product.addToCart')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
