import { Anchor, Badge, Button, Group, NumberInput, Paper, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { AnchorLink } from '../../ui/links';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { offerKind } from './offers';
import { useCart, useChangeCartItem, useRemoveCartItem, type Cart, type CartLine } from './queries';
import { readable } from './readable';


/** The cart: one line per offer, quantities changed in place, the total from the API, then checkout. */
export function CartPage() {
  const { t } = useTranslation('shop');
  const cart = useCart();

  return (
    <Stack style={readable}>
      <PageHeader title={t('cart.title')} />
      <ErrorAlert error={cart.error} />
      {cart.isPending ? <Skeleton h={200} /> : cart.data ? <CartView cart={cart.data} /> : null}
    </Stack>
  );
}

export function CartView({ cart }: { cart: Cart }) {
  const { t } = useTranslation('shop');
  const f = useFormat();
  const change = useChangeCartItem();
  const remove = useRemoveCartItem();

  if (cart.items.length === 0) {
    return (
      <Stack align="flex-start">
        <Text>{t('cart.empty')}</Text>
        <Anchor component={Link} to="/marketplace">
          {t('cart.browse')}
        </Anchor>
      </Stack>
    );
  }
  const buyable = cart.items.some((i) => i.available);
  return (
    <Stack>
      <Table.ScrollContainer minWidth={720}>
        <Table aria-label={t('cart.table')} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cart.product')}</Table.Th>
              <Table.Th>{t('cart.offer')}</Table.Th>
              <Table.Th>{t('cart.quantity')}</Table.Th>
              <Table.Th ta="right">{t('cart.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('cart.lineTotal')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('cart.remove')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cart.items.map((line) => (
              <Table.Tr key={line.id}>
                <Table.Td>
                  <Stack gap={2}>
                    {line.productId ? (
                      <AnchorLink to="/marketplace/$productId" params={{ productId: line.productId }}>
                        {line.name}
                      </AnchorLink>
                    ) : (
                      <Text>{line.name ?? line.offerId}</Text>
                    )}
                    {!line.available ? (
                      <Badge color="red" variant="outline" w="fit-content">
                        {t('cart.unavailable')}
                      </Badge>
                    ) : null}
                  </Stack>
                </Table.Td>
                <Table.Td>{line.term && line.billingPeriod ? t(`offer.${offerKind({ term: line.term, billingPeriod: line.billingPeriod })}.title`) : '—'}</Table.Td>
                <Table.Td>
                  <QuantityCell line={line} onChange={(quantity) => change.mutate({ line, quantity })} busy={change.isPending && change.variables?.line.id === line.id} />
                </Table.Td>
                <Table.Td ta="right">{f.money(line.unitPrice)}</Table.Td>
                <Table.Td ta="right">{f.money(line.lineTotal)}</Table.Td>
                <Table.Td>
                  <Button variant="default" size="xs" aria-label={t('cart.removeOf', { name: line.name ?? '' })} loading={remove.isPending && remove.variables?.id === line.id} onClick={() => remove.mutate(line)}>
                    {t('cart.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ErrorAlert error={change.error ?? remove.error} />
      <Paper withBorder p="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Stack gap={0}>
            <Text fw={700} size="lg">
              {t('cart.total')}: {f.money(cart.total)}
            </Text>
            <Text size="sm">{t('cart.totalHint')}</Text>
          </Stack>
          {buyable ? (
            <Button component={Link} to="/checkout">
              {t('cart.checkout')}
            </Button>
          ) : null}
        </Group>
      </Paper>
    </Stack>
  );
}

/** The line's quantity: edited in place, sent when the field is left or Enter is pressed. */
function QuantityCell({ line, onChange, busy }: { line: CartLine; onChange: (quantity: number) => void; busy: boolean }) {
  const { t } = useTranslation('shop');
  const [value, setValue] = useState<number | string>(line.quantity);
  const [seen, setSeen] = useState(line.quantity);
  if (seen !== line.quantity) {
    setSeen(line.quantity);
    setValue(line.quantity);
  }
  const commit = () => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value !== line.quantity) onChange(value);
    else setValue(line.quantity);
  };
  return (
    <NumberInput
      aria-label={t('cart.quantityOf', { name: line.name ?? '' })}
      value={value}
      onChange={setValue}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      min={1}
      max={100000}
      allowDecimal={false}
      allowNegative={false}
      disabled={busy || !line.available}
      w={110}
    />
  );
}
