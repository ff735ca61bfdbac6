import { Paper, Radio, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/format';
import { offerKind, type OfferKind } from './offers';
import type { Offer } from './queries';

/**
 * A product's offers as the radios of a `Radio.Group`: per offer its name, what it means for who
 * pays, and its price per billing period. The customer's product page and the staff's order
 * wizard word `title` and `explain` for their reader.
 */
export function OfferOptions({ offers, title, explain }: { offers: Offer[]; title: (kind: OfferKind) => string; explain: (kind: OfferKind) => string }) {
  const { t } = useTranslation('shop');
  const f = useFormat();
  return (
    <Stack gap="sm" mt="xs">
      {offers.map((o) => {
        const kind = offerKind(o);
        return (
          <Paper key={o.id} withBorder p="sm">
            <Radio
              value={o.id}
              label={
                <Text span fw={600}>
                  {title(kind)}
                </Text>
              }
              description={
                <>
                  <Text span size="sm" display="block">
                    {explain(kind)}
                  </Text>
                  <Text span size="sm" fw={600} display="block" c="dark">
                    {t('offer.price', { price: f.money(o.price), period: t(`offer.period.${o.billingPeriod}`) })}
                  </Text>
                </>
              }
            />
          </Paper>
        );
      })}
    </Stack>
  );
}
