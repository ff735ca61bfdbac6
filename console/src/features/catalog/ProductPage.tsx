import { Alert, Anchor, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { OfferCostAction, OfferCostHeader } from '../pricing/OfferCostAction';
import { sortedOffers } from '../shop/offers';
import { categoryLabel, useCatalogAccess } from './access';
import { ProductStatusBadge } from './CatalogPage';
import { ProductFormDrawer } from './ProductForm';
import { useCatalog, useCatalogProduct, useEditProduct, type Product } from './queries';
import { readable } from './readable';

/** One product of the catalog: its details and offers; an admin edits it, retires it or brings it back. */
export function ProductPage() {
  const { t } = useTranslation('catalog');
  const { productId } = useParams({ from: '/app/catalog/$productId' });
  const access = useCatalogAccess();
  const product = useCatalogProduct(productId);

  return (
    <Stack gap="md" style={readable}>
      <Anchor size="sm" renderRoot={(props) => <Link to="/catalog" {...props} />}>
        {t('detail.back')}
      </Anchor>
      {product.data ? (
        <ProductView product={product.data} canEdit={access.canEdit} />
      ) : product.error ? (
        <>
          <PageHeader title={t('title')} />
          {product.error instanceof ApiError && product.error.status === 404 ? <Alert color="yellow">{t('detail.notFound')}</Alert> : <ErrorAlert error={product.error} />}
        </>
      ) : (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      )}
    </Stack>
  );
}

function ProductView({ product, canEdit }: { product: Product; canEdit: boolean }) {
  const { t } = useTranslation('catalog');
  const f = useFormat();
  const [editing, edit] = useDisclosure(false);
  // The categories the form suggests: the catalog's, from the list when it was read.
  const all = useCatalog({});
  const categories = [...new Set((all.data?.pages ?? []).flatMap((p) => p.items.map((i) => i.category)))].sort();
  const yesNo = (v: boolean) => (v ? t('detail.yes') : t('detail.no'));

  return (
    <>
      <PageHeader title={product.name}>
        <ProductStatusBadge status={product.status} />
      </PageHeader>
      {product.status === 'retired' ? (
        <Alert color="gray" role="status">
          {t('detail.retiredHelp')}
        </Alert>
      ) : null}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="product-details">
        <Stack gap="sm">
          <Title order={2} size="h4" id="product-details">
            {t('detail.details')}
          </Title>
          <Text>{product.description}</Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" component="dl" m={0}>
            <Fact label={t('field.sku')} value={product.sku} />
            <Fact label={t('field.category')} value={categoryLabel(t, product.category)} />
            <Fact label={t('field.vendor')} value={product.vendor} />
            <Fact label={t('field.requiresTenant')} value={yesNo(product.requiresTenant)} />
            <Fact label={t('detail.quantity')} value={t('detail.quantityRange', { min: f.number(product.minQuantity), max: f.number(product.maxQuantity) })} />
            <Fact label={t('detail.cancellationWindow')} value={t('detail.hours', { count: product.cancellationWindowHours })} />
          </SimpleGrid>
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="product-offers">
        <Stack gap="sm">
          <Title order={2} size="h4" id="product-offers">
            {t('detail.offers')}
          </Title>
          <Table.ScrollContainer minWidth={canEdit ? 420 : 280} type="native" tabIndex={0} role="region" aria-label={t('detail.offersTable', { name: product.name })}>
            <Table striped aria-label={t('detail.offersTable', { name: product.name })}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('field.term')}</Table.Th>
                  <Table.Th scope="col">{t('field.billingPeriod')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('detail.price')}
                  </Table.Th>
                  {canEdit ? (
                    <Table.Th scope="col">
                      <OfferCostHeader />
                    </Table.Th>
                  ) : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sortedOffers(product.offers).map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td>{t(`term.${o.term}`)}</Table.Td>
                    <Table.Td>{t(`billing.${o.billingPeriod}`)}</Table.Td>
                    <Table.Td ta="right">{t(`detail.pricePer.${o.billingPeriod}`, { price: f.money(o.price) })}</Table.Td>
                    {canEdit ? (
                      <Table.Td>
                        <OfferCostAction offer={o} productName={product.name} defaultCurrency={o.price.currency} />
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      </Paper>
      {canEdit ? (
        <ProductActions product={product} onEdit={edit.open} />
      ) : (
        <Alert color="blue" role="status">
          {t('list.readOnly')}
        </Alert>
      )}
      {canEdit ? <ProductFormDrawer product={product} categories={categories} opened={editing} onClose={edit.close} /> : null}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fw={500} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </div>
  );
}

/** Edit, and retire (hidden from customers, no longer sold) or bring back, each on the version shown. */
function ProductActions({ product, onEdit }: { product: Product; onEdit: () => void }) {
  const { t } = useTranslation('catalog');
  const change = useEditProduct(product);
  const retired = product.status === 'retired';

  const setStatus = () =>
    modals.openConfirmModal({
      title: retired ? t('actions.reactivateTitle', { name: product.name }) : t('actions.retireTitle', { name: product.name }),
      children: <Text size="sm">{retired ? t('actions.reactivateBody') : t('actions.retireBody')}</Text>,
      labels: { confirm: retired ? t('actions.reactivate') : t('actions.retire'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: { color: retired ? 'blue' : 'red' },
      onConfirm: () =>
        change.mutate(
          { status: retired ? 'active' : 'retired' },
          { onSuccess: (next) => notifications.show({ color: 'green', message: next.status === 'retired' ? t('actions.retired', { name: next.name }) : t('actions.reactivated', { name: next.name }) }) },
        ),
    });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={t('actions.label')}>
      <Stack gap="sm">
        <Group gap="sm">
          <Button onClick={onEdit} disabled={change.isPending}>
            {t('actions.edit')}
          </Button>
          <Button variant={retired ? 'default' : 'outline'} color={retired ? undefined : 'red'} onClick={setStatus} loading={change.isPending}>
            {retired ? t('actions.reactivate') : t('actions.retire')}
          </Button>
        </Group>
        <ErrorAlert error={change.error} />
      </Stack>
    </Paper>
  );
}
