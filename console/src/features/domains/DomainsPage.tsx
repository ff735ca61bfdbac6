import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { personaOf, useMe, useSession } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { AnchorLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { useCustomerAdmin } from '../orders/queries';
import { CreateDomainForm, type Credentials } from './CreateDomainForm';
import { CredentialsModal } from './CredentialsModal';
import { DomainCard } from './DomainCard';
import { LinkDomainForm } from './LinkDomainForm';
import { useAccount, useDomains } from './queries';

/**
 * The account's Microsoft domains with the subscriptions and licenses on each; create a new tenant
 * or link an existing one, and accept the partner relationship of a linked one. Staff open a
 * customer's with `?accountId=`: they create and link for the customer, see which domains wait for
 * the customer's admin to accept the new partner, and send that invitation again.
 */
export function DomainsPage() {
  const { t } = useTranslation('domains');
  const me = useMe();
  const session = useSession();
  const search = useSearch({ from: '/app/domains' });
  const persona = me.data ? personaOf(me.data) : undefined;
  const staff = persona === 'staffAdmin' || persona === 'staffUser';
  // Staff have no domains of their own: only a customer's, named in the address.
  const accountId = staff ? search.accountId : (search.accountId ?? me.data?.accountId);
  const domains = useDomains(accountId);
  const account = useAccount(accountId);
  const [dialog, setDialog] = useState<'create' | 'link' | null>(null);
  const [credentials, setCredentials] = useState<Credentials | undefined>();
  const [linked, setLinked] = useState<string | null>(null);
  const isCustomerAdmin = persona === 'customerAdmin';
  const canManage = me.data?.role === 'admin';
  // The customer's admin, whom staff name as the new tenant's contact and the agreement's signatory.
  const admin = useCustomerAdmin(accountId ?? '', staff && canManage && !!accountId && dialog === 'create');
  // Only the customer's own admin accepts, and not while someone is logged in as them.
  const canAccept = isCustomerAdmin && !session?.returnTo;
  const items = domains.data?.items ?? [];
  const close = () => setDialog(null);
  const closeLabel = { 'aria-label': t('actions.close', { ns: 'common' }) };
  const adminPerson = admin.data ? { firstName: admin.data.firstName, lastName: admin.data.lastName, email: admin.data.notificationEmail || admin.data.login } : null;

  return (
    <Stack>
      <PageHeader title={t('page.title')}>
        {canManage && account.data ? (
          <>
            <Button onClick={() => setDialog('create')}>{t('create.open')}</Button>
            <Button variant="default" onClick={() => setDialog('link')}>
              {t('link.open')}
            </Button>
          </>
        ) : null}
      </PageHeader>
      {staff && accountId ? (
        <Group gap="md">
          <Text fw={600}>{t('staff.of', { name: account.data?.name ?? accountId })}</Text>
          <AnchorLink to="/customers/$accountId" params={{ accountId }} size="sm">
            {t('staff.customerPage')}
          </AnchorLink>
        </Group>
      ) : null}
      <Text>{t('page.intro')}</Text>
      {staff && !accountId ? (
        <Alert color="blue" variant="light">
          <Stack gap="xs">
            <Text size="sm">{t('staff.chooseCustomer')}</Text>
            <AnchorLink to="/customers" size="sm">
              {t('staff.customers')}
            </AnchorLink>
          </Stack>
        </Alert>
      ) : null}
      <ErrorAlert error={domains.error ?? account.error ?? me.error} />
      {linked ? (
        <Alert color="orange" variant="light" role="status" title={t('link.pendingTitle', { domain: linked })} withCloseButton closeButtonLabel={t('actions.close', { ns: 'common' })} onClose={() => setLinked(null)}>
          {staff ? t('link.pendingBodyStaff') : t('link.pendingBody')}
        </Alert>
      ) : null}
      {domains.isPending && accountId ? <Text>{t('state.loading', { ns: 'common' })}</Text> : null}
      {domains.isSuccess && items.length === 0 ? <Text>{staff ? t('page.emptyStaff') : t('page.empty')}</Text> : null}
      {items.map((d) => (
        <DomainCard key={d.id} domain={d} canAccept={canAccept} staff={staff} canResend={staff && canManage} />
      ))}
      {account.data && me.data ? (
        <Modal opened={dialog === 'create'} onClose={close} title={t('create.title')} size="lg" closeButtonProps={closeLabel}>
          {staff && admin.isPending ? (
            <Text>{t('state.loading', { ns: 'common' })}</Text>
          ) : (
            <CreateDomainForm
              account={account.data}
              me={me.data}
              customerAdmin={adminPerson}
              onCreated={(c) => {
                close();
                if (c) setCredentials(c);
              }}
            />
          )}
        </Modal>
      ) : null}
      {accountId ? (
        <Modal opened={dialog === 'link'} onClose={close} title={t('link.title')} closeButtonProps={closeLabel}>
          <LinkDomainForm
            accountId={accountId}
            onLinked={(d) => {
              close();
              if (d.status === 'pending_partner_acceptance') setLinked(d.domain);
              else notifications.show({ color: 'green', message: t('link.linked', { domain: d.domain }) });
            }}
          />
        </Modal>
      ) : null}
      <CredentialsModal credentials={credentials} onClose={() => setCredentials(undefined)} />
    </Stack>
  );
}
