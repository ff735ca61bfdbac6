import { Anchor, Button, Group, Skeleton, Stack, Stepper, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useMe, type Me } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { usePaymentMethods } from '../billing/queries';
import { chosenDomain, coTermChoice, domainChoice, domainStepErrors, type CheckoutValues } from './checkoutForm';
import { DomainStep, usePrefixAvailability } from './DomainStep';
import { paymentLabel, PaymentStep } from './PaymentStep';
import { useAccount, useCart, useCheckout, useDomains, type Account, type CheckoutBody, type Domain } from './queries';
import { isQuoteRefusal, quoteCart, useQuoteStep, type QuoteStep } from './quote';
import { QuotePanel } from './QuoteSummary';
import { readable } from './readable';
import { StepFrame } from '../../ui/StepFrame';

/**
 * Checkout as a wizard: the Microsoft domain (a new tenant with its availability checked and the
 * Customer Agreement, one of the account's domains, or an existing tenant linked), the payment
 * method, then the review with the quote (asked for when the review opens: lines, net, VAT, gross,
 * the seller, until when it holds) and "Buy", which places the order with that quote and opens its
 * tracking. A price that changed since the quote, or a quote that expired, brings a fresh quote to
 * confirm instead of an order.
 */
export function CheckoutPage() {
  const { t } = useTranslation('shop');
  const me = useMe();
  const accountId = me.data?.accountId;
  const cart = useCart();
  const account = useAccount(accountId);
  const domains = useDomains(accountId);
  const error = me.error ?? cart.error ?? account.error ?? domains.error;

  return (
    <Stack style={readable}>
      <PageHeader title={t('checkout.title')} />
      <ErrorAlert error={error} />
      {me.data && cart.data && account.data && domains.data ? (
        cart.data.items.some((i) => i.available) ? (
          <Wizard me={me.data} account={account.data} domains={domains.data.items} />
        ) : (
          <Stack align="flex-start">
            <Text>{t('checkout.emptyCart')}</Text>
            <Anchor component={Link} to="/marketplace">
              {t('cart.browse')}
            </Anchor>
          </Stack>
        )
      ) : error ? null : (
        <Skeleton h={320} />
      )}
    </Stack>
  );
}

function Wizard({ me, account, domains }: { me: Me; account: Account; domains: Domain[] }) {
  const { t } = useTranslation('shop');
  const navigate = useNavigate();
  const narrow = useMediaQuery('(max-width: 36em)');
  const [active, setActive] = useState(0);
  const usable = domains.filter((d) => d.status === 'active' || d.status === 'pending_partner_acceptance');
  const methods = usePaymentMethods(account.id);
  const needsAgreement = !account.customerAgreement;

  const form = useForm<CheckoutValues>({
    initialValues: {
      mode: usable.length > 0 ? 'existing' : 'create',
      prefix: '',
      companyName: account.name,
      line1: account.address?.line1 ?? '',
      city: account.address?.city ?? '',
      postalCode: account.address?.postalCode ?? '',
      country: account.address?.country ?? '',
      firstName: me.firstName,
      lastName: me.lastName,
      email: me.notificationEmail || me.login,
      phone: me.phone ?? '',
      domainId: usable.find((d) => d.status === 'active')?.id ?? '',
      linkDomain: '',
      qualification: 'none',
      alignEndWith: 'none',
      agreeFirstName: me.firstName,
      agreeLastName: me.lastName,
      agreeEmail: me.notificationEmail || me.login,
      accepted: false,
      acceptedAt: '',
      paymentMethodId: '',
    },
    validate: (v) => {
      if (active === 0) return domainStepErrors(v, needsAgreement, t);
      if (active === 1 && !v.paymentMethodId) return { paymentMethodId: t('checkout.payment.chooseRequired') };
      return {};
    },
  });
  const availability = usePrefixAvailability(form.values.mode === 'create' ? form.values.prefix : '');

  // The payment method: the account's default card, until one is chosen.
  const items = methods.data?.items ?? [];
  if (!form.values.paymentMethodId && items.length > 0) {
    const preferred = items.find((p) => p.isDefault) ?? items[0];
    if (preferred) form.setFieldValue('paymentMethodId', preferred.id);
  }

  const checkout = useCheckout(account.id);
  // One Idempotency-Key per intent: made when the checkout opens, kept while the same purchase is retried.
  const [intent, setIntent] = useState<{ key: string; body?: string }>(() => ({ key: newIdempotencyKey() }));
  const declined = checkout.error instanceof ApiError && checkout.error.status === 402 ? checkout.error : null;
  const quote = useQuoteStep(() => quoteCart(coTermChoice(form.values, domains)));

  const next = () => {
    if (form.validate().hasErrors) return;
    if (active === 0 && form.values.mode === 'create' && availability.available !== true) {
      form.setFieldError('prefix', availability.checking ? t('checkout.domain.checking', { domain: availability.domain }) : t('checkout.domain.mustBeAvailable'));
      return;
    }
    if (active === 1) {
      checkout.reset();
      quote.start();
    }
    setActive((a) => Math.min(a + 1, 2));
  };

  const body = (quoteId: string): CheckoutBody => ({ ...domainChoice(form.values, needsAgreement), ...coTermChoice(form.values, domains), paymentMethodId: form.values.paymentMethodId, quoteId });

  const buy = () => {
    if (!quote.quote) return;
    const b = body(quote.quote.id);
    const text = JSON.stringify(b);
    const key = intent.body !== undefined && intent.body !== text ? newIdempotencyKey() : intent.key;
    setIntent({ key, body: text });
    // Through the promise, not mutate()'s callbacks: a bought cart is empty, the empty-cart view
    // replaces this one, and mutate()'s callbacks never run in an unmounted component.
    void checkout.mutateAsync({ body: b, key }).then(
      (order) => navigate({ to: '/orders/$orderId', params: { orderId: order.id } }),
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 402) setActive(1);
        // A price changed or the quote expired: a fresh quote to confirm, nothing was placed.
        else quote.refused(err);
      },
    );
  };

  const domainText = () => {
    const v = form.values;
    if (v.mode === 'create') return t('checkout.review.newDomain', { domain: `${v.prefix.trim()}.onmicrosoft.com` });
    return v.mode === 'link' ? v.linkDomain.trim().toLowerCase() : (chosenDomain(v, domains)?.domain ?? '');
  };
  const pm = items.find((p) => p.id === form.values.paymentMethodId);
  const tt = t as unknown as (k: string, o?: Record<string, unknown>) => string;

  return (
    <Stack>
      <Stepper active={active} onStepClick={(s) => s < active && setActive(s)} size="sm" orientation={narrow ? 'vertical' : 'horizontal'} allowNextStepsSelect={false}>
        <Stepper.Step label={t('checkout.steps.domain')} description={t('checkout.steps.domainHint')}>
          <StepFrame title={t('checkout.steps.domain')}>
            <DomainStep form={form} account={account} domains={domains} availability={availability} />
          </StepFrame>
        </Stepper.Step>
        <Stepper.Step label={t('checkout.steps.payment')} description={t('checkout.steps.paymentHint')}>
          <StepFrame title={t('checkout.steps.payment')}>
            <PaymentStep form={form} accountId={account.id} declined={declined} />
            {form.errors.paymentMethodId && items.length === 0 ? (
              <Text c="red.9" size="sm" role="alert">
                {form.errors.paymentMethodId}
              </Text>
            ) : null}
          </StepFrame>
        </Stepper.Step>
        <Stepper.Step label={t('checkout.steps.review')} description={t('checkout.steps.reviewHint')}>
          <StepFrame title={t('checkout.steps.review')}>
            <Review quote={quote} domain={domainText()} payment={pm ? paymentLabel(pm, tt) : ''} agreement={needsAgreement ? `${form.values.agreeFirstName} ${form.values.agreeLastName}` : undefined} />
            <ErrorAlert error={declined || isQuoteRefusal(checkout.error) ? null : checkout.error} />
          </StepFrame>
        </Stepper.Step>
      </Stepper>
      <Group justify="space-between" gap="sm">
        {active > 0 ? (
          <Button variant="default" onClick={() => setActive((a) => a - 1)} disabled={checkout.isPending}>
            {t('checkout.back')}
          </Button>
        ) : (
          <Button variant="default" component={Link} to="/cart">
            {t('nav.cart', { ns: 'common' })}
          </Button>
        )}
        {active < 2 ? (
          <Button onClick={next}>{t('checkout.next')}</Button>
        ) : (
          <Button onClick={buy} loading={checkout.isPending} disabled={!quote.quote}>
            {t('checkout.review.buy')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function Review({ quote, domain, payment, agreement }: { quote: QuoteStep; domain: string; payment: string; agreement?: string }) {
  const { t } = useTranslation('shop');
  return (
    <Stack>
      <QuotePanel step={quote} />
      <Stack gap={4}>
        <Text>
          <Text span fw={600}>
            {t('checkout.review.domain')}:
          </Text>{' '}
          {domain}
        </Text>
        <Text>
          <Text span fw={600}>
            {t('checkout.review.payment')}:
          </Text>{' '}
          {payment}
        </Text>
        {agreement ? <Text>{t('checkout.review.agreement', { name: agreement })}</Text> : null}
      </Stack>
    </Stack>
  );
}
