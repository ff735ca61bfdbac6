import { Alert, Button, Group, Select, Skeleton, Stack, Stepper, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { personaOf, useMe } from '../../api/me';
import type { components } from '../../api/schema';
import { ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format';
import { AnchorLink, ButtonLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { usePaymentMethods } from '../billing/queries';
import { chosenDomain as domainOf, coTermChoice, domainChoice, domainStepErrors, type CheckoutValues } from '../shop/checkoutForm';
import { DomainStep, usePrefixAvailability, type DomainStepTexts } from '../shop/DomainStep';
import { paymentLabel } from '../shop/PaymentStep';
import { useAccount, useDomains, type Account, type Domain } from '../shop/queries';
import { isQuoteRefusal, quoteOrder, useQuoteStep } from '../shop/quote';
import { QuotePanel } from '../shop/QuoteSummary';
import { offerKind } from '../shop/offers';
import { readable } from '../shop/readable';
import { LinesStep, useLineEditor } from './LinesStep';
import { useCustomerAdmin, usePlaceOrder, type PlaceOrderBody } from './queries';
import { StepFrame } from '../../ui/StepFrame';

type User = components['schemas']['User'];
const BY_INVOICE = 'invoice';

/**
 * Staff place an order for a customer, as a wizard: the services (a catalog product, its offer
 * explained, the licenses; several lines), the Microsoft domain (a new tenant with its
 * availability and, when the customer has none, the Customer Agreement; one of the customer's
 * domains; or an existing tenant linked), then the review with the quote (the customer's prices,
 * VAT and gross, and the margins the API gives the seller and above), "process
 * automatically" and how it is paid (by invoice unless one of the customer's cards), and
 * "Confirm order", which places it with the quote and opens the order (a changed price or an expired
 * quote brings a fresh quote to confirm instead).
 */
export function PlaceOrderPage() {
  const { t } = useTranslation('orders');
  const { accountId } = useParams({ from: '/app/customers/$accountId/orders/new' });
  const me = useMe();
  const persona = me.data ? personaOf(me.data) : undefined;
  const allowed = persona === 'staffAdmin';
  const account = useAccount(allowed ? accountId : undefined);
  const domains = useDomains(allowed ? accountId : undefined);
  const admin = useCustomerAdmin(accountId, allowed);
  const error = me.error ?? account.error ?? domains.error;

  return (
    <Stack style={readable}>
      <AnchorLink to="/customers/$accountId" params={{ accountId }} size="sm">
        {t('place.back')}
      </AnchorLink>
      <PageHeader title={t('place.title')} />
      {account.data ? <Text>{t('place.for', { name: account.data.name })}</Text> : null}
      <ErrorAlert error={error} />
      {persona && !allowed ? (
        <Alert color="yellow">{t('place.onlyAdmins')}</Alert>
      ) : account.data && domains.data && !admin.isPending ? (
        <Wizard account={account.data} domains={domains.data.items} admin={admin.data ?? null} />
      ) : error ? null : (
        <Skeleton h={320} />
      )}
    </Stack>
  );
}

function Wizard({ account, domains, admin }: { account: Account; domains: Domain[]; admin: User | null }) {
  const { t } = useTranslation('orders');
  const { t: ts } = useTranslation('shop');
  const f = useFormat();
  const navigate = useNavigate();
  const narrow = useMediaQuery('(max-width: 36em)');
  const [active, setActive] = useState(0);
  const editor = useLineEditor();
  const [linesError, setLinesError] = useState<string | undefined>();
  const [autoProcess, setAutoProcess] = useState(false);
  const [payment, setPayment] = useState(BY_INVOICE);
  const needsAgreement = !account.customerAgreement;
  const usable = domains.filter((d) => d.status === 'active' || d.status === 'pending_partner_acceptance');
  const methods = usePaymentMethods(account.id);
  const cards = (methods.data?.items ?? []).filter((p) => p.type === 'card');
  const place = usePlaceOrder(account.id);
  // One Idempotency-Key per intent: made when the review step opens, kept while the same order is retried.
  const [intent, setIntent] = useState<{ key: string; body?: string }>(() => ({ key: newIdempotencyKey() }));
  const quote = useQuoteStep(() => quoteOrder(account.id, editor.lines.map((l) => ({ offerId: l.offer.id, quantity: l.quantity })), coTermChoice(form.values, domains)));

  const form = useForm<CheckoutValues>({
    initialValues: {
      mode: usable.length > 0 ? 'existing' : 'create',
      prefix: '',
      companyName: account.name,
      line1: account.address?.line1 ?? '',
      city: account.address?.city ?? '',
      postalCode: account.address?.postalCode ?? '',
      country: account.address?.country ?? '',
      firstName: admin?.firstName ?? '',
      lastName: admin?.lastName ?? '',
      email: admin?.notificationEmail ?? admin?.login ?? '',
      phone: admin?.phone ?? '',
      domainId: usable.find((d) => d.status === 'active')?.id ?? '',
      linkDomain: '',
      qualification: 'none',
      alignEndWith: 'none',
      agreeFirstName: admin?.firstName ?? '',
      agreeLastName: admin?.lastName ?? '',
      agreeEmail: admin?.notificationEmail ?? admin?.login ?? '',
      accepted: false,
      acceptedAt: '',
      paymentMethodId: '',
    },
    validate: (v) => (active === 1 ? domainStepErrors(v, needsAgreement, ts) : {}),
  });
  const availability = usePrefixAvailability(form.values.mode === 'create' ? form.values.prefix : '');

  const texts: DomainStepTexts = {
    createHint: t('place.domain.createHint'),
    existing: t('place.domain.existing'),
    existingHint: t('place.domain.existingHint'),
    linkHint: t('place.domain.linkHint'),
    linkInline: t('place.domain.linkInline'),
    prefixHint: t('place.domain.prefixHint'),
    agreementIntro: t('place.domain.agreementIntro'),
    agreementAccept: t('place.domain.agreementAccept'),
  };

  const toReview = () => {
    setIntent({ key: newIdempotencyKey() });
    place.reset();
    quote.start();
    setActive(2);
  };
  const next = () => {
    if (active === 0) {
      // A complete line still being written goes along; an incomplete one is shown, not dropped.
      if (!editor.empty && !editor.add()) return;
      if (editor.empty && editor.lines.length === 0) {
        setLinesError(t('place.lines.required'));
        return;
      }
      setLinesError(undefined);
      setActive(1);
      return;
    }
    if (form.validate().hasErrors) return;
    if (form.values.mode === 'create' && availability.available !== true) {
      form.setFieldError('prefix', availability.checking ? ts('checkout.domain.checking', { domain: availability.domain }) : ts('checkout.domain.mustBeAvailable'));
      return;
    }
    toReview();
  };

  const body = (quoteId: string): PlaceOrderBody => ({
    lines: editor.lines.map((l) => ({ offerId: l.offer.id, quantity: l.quantity })),
    ...domainChoice(form.values, needsAgreement),
    ...coTermChoice(form.values, domains),
    autoProcess,
    ...(payment !== BY_INVOICE ? { paymentMethodId: payment } : {}),
    quoteId,
  });

  const confirm = () => {
    if (!quote.quote) return;
    const b = body(quote.quote.id);
    const text = JSON.stringify(b);
    const key = intent.body !== undefined && intent.body !== text ? newIdempotencyKey() : intent.key;
    setIntent({ key, body: text });
    void place.mutateAsync({ body: b, key }).then(
      (order) => navigate({ to: '/orders/$orderId', params: { orderId: order.id } }),
      // A price changed or the quote expired: a fresh quote to confirm, nothing was placed.
      (err: unknown) => quote.refused(err),
    );
  };

  const v = form.values;
  const chosenDomain = domainOf(v, domains);
  const domainText =
    v.mode === 'create' ? t('place.review.newDomain', { domain: `${v.prefix.trim()}.onmicrosoft.com` }) : v.mode === 'link' ? v.linkDomain.trim().toLowerCase() : (chosenDomain?.domain ?? '');

  return (
    <Stack>
      <Stepper active={active} onStepClick={(s) => s < active && setActive(s)} size="sm" orientation={narrow ? 'vertical' : 'horizontal'} allowNextStepsSelect={false}>
        <Stepper.Step label={t('place.steps.lines')} description={t('place.steps.linesHint')}>
          <StepFrame title={t('place.steps.lines')}>
            <LinesStep editor={editor} error={linesError} />
          </StepFrame>
        </Stepper.Step>
        <Stepper.Step label={t('place.steps.domain')} description={t('place.steps.domainHint')}>
          <StepFrame title={t('place.steps.domain')}>
            <DomainStep form={form} account={account} domains={domains} availability={availability} texts={texts} />
          </StepFrame>
        </Stepper.Step>
        <Stepper.Step label={t('place.steps.review')} description={t('place.steps.reviewHint')}>
          <StepFrame title={t('place.steps.review')}>
            <QuotePanel step={quote} margins texts={{ title: t('tracking.lines'), table: t('place.lines.table'), offer: (l) => t(`offer.${offerKind(l)}`) }} />
            <Stack gap={4}>
              <Text>
                <Text span fw={600}>
                  {t('tracking.domain')}:
                </Text>{' '}
                <Text span style={{ overflowWrap: 'anywhere' }}>
                  {domainText}
                </Text>
              </Text>
              {chosenDomain?.status === 'pending_partner_acceptance' ? <Text size="sm">{t('place.review.pendingDomain')}</Text> : null}
              {needsAgreement ? (
                <Text>{t('place.review.agreement', { name: `${v.agreeFirstName.trim()} ${v.agreeLastName.trim()}`, email: v.agreeEmail.trim() })}</Text>
              ) : account.customerAgreement ? (
                <Text size="sm">{t('place.review.agreementOnFile', { name: `${account.customerAgreement.firstName} ${account.customerAgreement.lastName}`, date: f.date(account.customerAgreement.acceptedAt) })}</Text>
              ) : null}
            </Stack>
            <Select
              label={t('place.review.payment')}
              description={t('place.review.paymentHint')}
              data={[{ value: BY_INVOICE, label: t('place.review.byInvoice') }, ...cards.map((c) => ({ value: c.id, label: paymentLabel(c, ts as unknown as (k: string, o?: Record<string, unknown>) => string) }))]}
              value={payment}
              onChange={(p) => setPayment(p ?? BY_INVOICE)}
              allowDeselect={false}
              maw={480}
            />
            <ErrorAlert error={methods.error} />
            <Switch
              checked={autoProcess}
              onChange={(e) => setAutoProcess(e.currentTarget.checked)}
              label={t('place.review.autoProcess')}
              description={autoProcess ? t('place.review.autoProcessOn') : t('place.review.autoProcessOff')}
            />
            <ErrorAlert error={isQuoteRefusal(place.error) ? null : place.error} />
          </StepFrame>
        </Stepper.Step>
      </Stepper>
      <Group justify="space-between" gap="sm">
        {active > 0 ? (
          <Button variant="default" onClick={() => setActive((a) => a - 1)} disabled={place.isPending}>
            {t('place.previous')}
          </Button>
        ) : (
          <ButtonLink variant="default" to="/customers/$accountId" params={{ accountId: account.id }}>
            {t('place.cancel')}
          </ButtonLink>
        )}
        {active < 2 ? (
          <Button onClick={next}>{t('place.next')}</Button>
        ) : (
          <Button onClick={confirm} loading={place.isPending} disabled={!quote.quote}>
            {t('place.confirm')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
