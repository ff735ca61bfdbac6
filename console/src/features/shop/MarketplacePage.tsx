import { Badge, Card, Group, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { AnchorLink } from '../../ui/links';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { fromPrice } from './offers';
import { useProducts, type Product } from './queries';
import { readable } from './readable';


/** The marketplace: search by name (?q=) and narrow to a category (?category=); each card leads to the product's offers. */
export function MarketplacePage() {
  const { t } = useTranslation('shop');
  const search = useSearch({ from: '/app/marketplace' });
  const navigate = useNavigate({ from: '/marketplace' });
  const [q, setQ] = useState(search.q ?? '');
  const products = useProducts({ q: search.q, category: search.category });
  // The categories offered are those of the whole catalog (the same request when nothing is filtered).
  const all = useProducts({});
  const pushQ = useDebouncedCallback((value: string) => void navigate({ search: (s) => ({ ...s, q: value.trim() || undefined }), replace: true }), 300);

  const categories = [...new Set((all.data?.items ?? []).map((p) => p.category))].sort();
  const categoryLabel = (c: string) => t(`category.${c}` as never, { defaultValue: c.charAt(0).toUpperCase() + c.slice(1) });

  return (
    <Stack style={readable}>
      <PageHeader title={t('marketplace.title')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" role="search">
        <TextInput
          label={t('marketplace.search')}
          placeholder={t('marketplace.searchPlaceholder')}
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            pushQ(e.currentTarget.value);
          }}
        />
        <Select
          label={t('marketplace.category')}
          data={[{ value: '', label: t('marketplace.allCategories') }, ...categories.map((c) => ({ value: c, label: categoryLabel(c) }))]}
          value={search.category ?? ''}
          onChange={(v) => void navigate({ search: (s) => ({ ...s, category: v || undefined }), replace: true })}
          allowDeselect={false}
        />
      </SimpleGrid>
      <ErrorAlert error={products.error} />
      {products.isPending ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} h={160} />
          ))}
        </SimpleGrid>
      ) : products.data && products.data.items.length === 0 ? (
        <Text role="status">{t('marketplace.empty')}</Text>
      ) : (
        <>
          <Text size="sm" role="status">
            {t('marketplace.results', { count: products.data?.items.length ?? 0 })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {products.data?.items.map((p) => <ProductCard key={p.id} product={p} categoryLabel={categoryLabel(p.category)} />)}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function ProductCard({ product, categoryLabel }: { product: Product; categoryLabel: string }) {
  const { t } = useTranslation('shop');
  const f = useFormat();
  const price = fromPrice(product);
  return (
    <Card withBorder padding="md" component="article">
      <Stack gap="xs" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h4">
            <AnchorLink to="/marketplace/$productId" params={{ productId: product.id }}>
              {product.name}
            </AnchorLink>
          </Title>
          <Badge variant="light" color="dark" style={{ flexShrink: 0 }}>
            {categoryLabel}
          </Badge>
        </Group>
        <Text size="sm">{product.description}</Text>
        {price ? (
          <Text fw={600} mt="auto">
            {t('marketplace.fromPrice', { price: f.money(price) })}
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
