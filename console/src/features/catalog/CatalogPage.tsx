import { Alert, Anchor, Badge, Button, Center, Group, Loader, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback, useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from './readable';
import { categoryLabel, useCatalogAccess } from './access';
import { ProductFormDrawer } from './ProductForm';
import { PRODUCT_STATUSES, useCatalog, type Product, type ProductStatus } from './queries';

/**
 * The distributor's catalog: every product with its SKU, category, status and number of offers,
 * searched by words (?q=) and narrowed to a category (?category=) by the API, and to a status
 * (?status=) over what is loaded (the API has no status filter; the catalog is small). Admins add
 * products here; a product's page edits and retires it.
 */
export function CatalogPage() {
  const { t } = useTranslation('catalog');
  const access = useCatalogAccess();

  if (!access.ready) {
    return (
      <Center p="xl">
        <Loader aria-label={t('state.loading', { ns: 'common' })} />
      </Center>
    );
  }
  if (!access.distributor) {
    return (
      <Stack style={readable}>
        <PageHeader title={t('title')} />
        <Alert color="blue" role="status">
          {t('list.notForYou')}
        </Alert>
      </Stack>
    );
  }
  return <CatalogList canEdit={access.canEdit} />;
}

function CatalogList({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('catalog');
  const search = useSearch({ from: '/app/catalog' });
  const navigate = useNavigate({ from: '/catalog' });
  const [q, setQ] = useState(search.q ?? '');
  const [adding, add] = useDisclosure(false);
  const status = PRODUCT_STATUSES.includes(search.status as ProductStatus) ? (search.status as ProductStatus) : undefined;
  const products = useCatalog({ q: search.q, category: search.category });
  // The categories offered are those of the whole catalog (the same request when nothing is filtered).
  const all = useCatalog({});
  const set = (patch: Partial<typeof search>) => void navigate({ search: (s) => ({ ...s, ...patch }), replace: true });
  const pushQ = useDebouncedCallback((value: string) => set({ q: value.trim() || undefined }), 300);

  const categories = useMemo(() => [...new Set((all.data?.pages ?? []).flatMap((p) => p.items.map((i) => i.category)))].sort(), [all.data]);
  const loaded = useMemo(() => products.data?.pages.flatMap((p) => p.items) ?? [], [products.data]);
  const shown = status ? loaded.filter((p) => p.status === status) : loaded;

  return (
    <Stack style={readable}>
      <PageHeader title={t('title')}>
        {canEdit ? <Button onClick={add.open}>{t('list.add')}</Button> : null}
      </PageHeader>
      {canEdit ? null : (
        <Alert color="blue" role="status">
          {t('list.readOnly')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" role="search">
        <TextInput
          label={t('list.search')}
          placeholder={t('list.searchHint')}
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            pushQ(e.currentTarget.value);
          }}
        />
        <NativeSelect
          label={t('list.category')}
          value={search.category ?? ''}
          onChange={(e) => set({ category: e.currentTarget.value || undefined })}
          data={[{ value: '', label: t('list.allCategories') }, ...categories.map((c) => ({ value: c, label: categoryLabel(t, c) }))]}
        />
        <NativeSelect
          label={t('list.status')}
          value={status ?? ''}
          onChange={(e) => set({ status: e.currentTarget.value || undefined })}
          description={status && products.hasNextPage ? t('list.statusLoadedOnly') : undefined}
          data={[{ value: '', label: t('list.allStatuses') }, ...PRODUCT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        />
      </SimpleGrid>
      <ErrorAlert error={products.error} />
      {products.isPending && !products.error ? (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      ) : null}
      {products.data ? shown.length ? <ProductsTable products={shown} /> : <Text role="status">{t('list.empty')}</Text> : null}
      {products.hasNextPage ? (
        <Group>
          <Button variant="default" onClick={() => void products.fetchNextPage()} loading={products.isFetchingNextPage}>
            {t('actions.loadMore', { ns: 'common' })}
          </Button>
        </Group>
      ) : null}
      {canEdit ? <ProductFormDrawer opened={adding} onClose={add.close} categories={categories} /> : null}
    </Stack>
  );
}

/** A product's status in words (the colour only repeats it). */
export function ProductStatusBadge({ status }: { status: ProductStatus }) {
  const { t } = useTranslation('catalog');
  return (
    <Badge color={status === 'active' ? 'teal.9' : 'dark.6'} variant="filled" miw="max-content" style={{ flexShrink: 0 }}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/** The products: at 360 px the SKU and category go under the name, so status and offers stay in view. */
function ProductsTable({ products }: { products: Product[] }) {
  const { t } = useTranslation('catalog');
  const narrow = useMediaQuery('(max-width: 48em)');
  return (
    <Table.ScrollContainer minWidth={narrow ? 300 : 680} type="native" tabIndex={0} role="region" aria-label={t('list.table')}>
      <Table striped highlightOnHover aria-label={t('list.table')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('field.name')}</Table.Th>
            {narrow ? null : <Table.Th scope="col">{t('field.sku')}</Table.Th>}
            {narrow ? null : <Table.Th scope="col">{t('field.category')}</Table.Th>}
            <Table.Th scope="col">{t('list.status')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('list.offers')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {products.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Anchor fw={500} renderRoot={(props) => <Link to="/catalog/$productId" params={{ productId: p.id }} {...props} />}>
                  {p.name}
                </Anchor>
                {narrow ? (
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {p.sku} · {categoryLabel(t, p.category)}
                  </Text>
                ) : null}
              </Table.Td>
              {narrow ? null : (
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {p.sku}
                  </Text>
                </Table.Td>
              )}
              {narrow ? null : <Table.Td>{categoryLabel(t, p.category)}</Table.Td>}
              <Table.Td>
                <ProductStatusBadge status={p.status} />
              </Table.Td>
              <Table.Td ta="right">{p.offers.length}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
