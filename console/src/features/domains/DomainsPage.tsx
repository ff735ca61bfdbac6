import { Alert, Button, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe, useSession } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { CreateDomainForm, type Credentials } from './CreateDomainForm';
import { CredentialsModal } from './CredentialsModal';
import { DomainCard } from './DomainCard';
import { LinkDomainForm } from './LinkDomainForm';
import { useAccount, useDomains } from './queries';

/**
 * The account's Microsoft domains with the subscriptions and licenses on each; create a new tenant
 * or link an existing one, and accept the partner relationship of a linked one. Staff open a
 * customer's with `?accountId=`.
 */
export function DomainsPage() {
  const { t } = useTranslation('domains');
  const me = useMe();
  const session = useSession();
  const search = useSearch({ from: '/app/domains' });
  const accountId = search.accountId ?? me.data?.accountId;
  const domains = useDomains(accountId);
  const account = useAccount(accountId);
  const [dialog, setDialog] = useState<'create' | 'link' | null>(null);
  const [credentials, setCredentials] = useState<Credentials | undefined>();
  const [linked, setLinked] = useState<string | null>(null);
  const isCustomerAdmin = me.data?.accountType === 'customer' && me.data.role === 'admin';
  const canManage = me.data?.role === 'admin';
  // Only the customer's own admin accepts, and not while someone is logged in as them.
  const canAccept = isCustomerAdmin && !session?.returnTo;
  const items = domains.data?.items ?? [];
  const close = () => setDialog(null);
  const closeLabel = { 'aria-label': t('actions.close', { ns: 'common' }) };

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
      <Text>{t('page.intro')}</Text>
      <ErrorAlert error={domains.error ?? account.error ?? me.error} />
      {linked ? (
        <Alert color="orange" variant="light" role="status" title={t('link.pendingTitle', { domain: linked })} withCloseButton closeButtonLabel={t('actions.close', { ns: 'common' })} onClose={() => setLinked(null)}>
          {t('link.pendingBody')}
        </Alert>
      ) : null}
      {domains.isPending && accountId ? <Text>{t('state.loading', { ns: 'common' })}</Text> : null}
      {domains.isSuccess && items.length === 0 ? <Text>{t('page.empty')}</Text> : null}
      {items.map((d) => (
        <DomainCard key={d.id} domain={d} canAccept={canAccept} />
      ))}
      {account.data && me.data ? (
        <Modal opened={dialog === 'create'} onClose={close} title={t('create.title')} size="lg" closeButtonProps={closeLabel}>
          <CreateDomainForm
            account={account.data}
            me={me.data}
            onCreated={(c) => {
              close();
              if (c) setCredentials(c);
            }}
          />
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
