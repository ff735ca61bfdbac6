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
        // A free trial (docs/product.md#trials-and-qualifications): its days, and the paid offer it continues on.
        const paid = o.trial ? offers.find((p) => p.id === o.trial!.convertsToOfferId) : undefined;
        return (
          <Paper key={o.id} withBorder p="sm">
            <Radio
              value={o.id}
              label={
                <Text span fw={600}>
                  {o.trial ? t('offer.trial.title', { days: o.trial.days }) : title(kind)}
                </Text>
              }
              description={
                <>
                  <Text span size="sm" display="block">
                    {o.trial
                      ? t('offer.trial.explain', {
                          days: o.trial.days,
                          plan: title(offerKind(paid ?? o)),
                          price: f.money(paid?.price ?? o.price),
                          period: t(`offer.period.${(paid ?? o).billingPeriod}`),
                        })
                      : explain(kind)}
                  </Text>
                  <Text span size="sm" fw={600} display="block" c="dark">
                    {o.trial ? t('offer.trial.price', { days: o.trial.days }) : t('offer.price', { price: f.money(o.price), period: t(`offer.period.${o.billingPeriod}`) })}
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
