import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { AnchorLink, ButtonLink } from '../../ui/links';
import { PageHeader } from '../../ui/PageHeader';
import { TaxProfileSection } from '../account/TaxProfileSection';
import { readable } from '../users/contrast';
import { AccountDataLinks } from './AccountDataLinks';
import { AccountSettings } from './AccountSettings';
import { BillingContactSection } from './BillingContactSection';
import { AccountStatusBadge } from './AccountStatusBadge';
import { AccountSummary } from './AccountSummary';
import { useAccount, useAccountState, useEditAccount, type Account } from './queries';

/** Suspend or reactivate, after a confirmation saying what it does; for staff admins. */
function StatusAction({ account, state }: { account: Account; state: ReturnType<typeof useAccountState> }) {
  const { t } = useTranslation('customers');
  const name = account.name;
  const suspending = account.status === 'active';
  const confirm = () =>
    modals.openConfirmModal({
      title: suspending ? t('account.suspendTitle', { name }) : t('account.reactivateTitle', { name }),
      children: <Text size="sm">{suspending ? t('account.suspendBody') : t('account.reactivateBody')}</Text>,
      labels: { confirm: suspending ? t('account.suspend') : t('account.reactivate'), cancel: t('actions.cancel', { ns: 'common' }) },
      confirmProps: suspending ? { color: 'red' } : {},
      onConfirm: () =>
        state.mutate(
          { account, action: suspending ? 'suspend' : 'reactivate' },
          { onSuccess: (next) => notifications.show({ color: 'green', message: next.status === 'suspended' ? t('account.suspended', { name }) : t('account.reactivated', { name }) }) },
        ),
    });
  return (
    <Button variant={suspending ? 'outline' : 'default'} color={suspending ? 'red.8' : undefined} onClick={confirm} loading={state.isPending}>
      {suspending ? t('account.suspend') : t('account.reactivate')}
    </Button>
  );
}

/**
 * A customer or reseller seen by the staff above it: its summary, the ways into its data as its
 * own admins see them, its settings (staff admins change them, staff users read them), "New
 * order" and suspend / reactivate for staff admins.
 */
export function AccountPage() {
  const { t } = useTranslation('customers');
  const { accountId } = useParams({ from: '/app/customers/$accountId' });
  const me = useMe();
  const account = useAccount(accountId);
  const parentId = account.data?.parentId ?? undefined;
  const parent = useAccount(parentId);
  const edit = useEditAccount();
  const state = useAccountState();
  const isAdmin = me.data?.role === 'admin';
  const a = account.data;
  const back =
    a?.type === 'reseller' ? (
      <AnchorLink size="sm" to="/resellers">
        {t('account.backResellers')}
      </AnchorLink>
    ) : (
      <AnchorLink size="sm" to="/customers">
        {t('account.back')}
      </AnchorLink>
    );

  return (
    <Stack gap="md" style={readable}>
      <div>{back}</div>
      {a ? (
        <>
          <PageHeader title={a.name} aside={<AccountStatusBadge status={a.status} />}>
            {isAdmin && a.type === 'customer' ? (
              <ButtonLink to="/customers/$accountId/orders/new" params={{ accountId }}>
                {t('account.newOrder')}
              </ButtonLink>
            ) : null}
            {isAdmin ? <StatusAction account={a} state={state} /> : null}
          </PageHeader>
          <ErrorAlert error={state.error} />
          {a.status === 'suspended' ? (
            <Alert color="orange" variant="light" role="status">
              {t('account.suspendedNote')}
            </Alert>
          ) : null}
          <AccountSummary account={a} parent={parent.data} parentIsOwn={parentId === me.data?.accountId} />
          <AccountDataLinks account={a} />
          <AccountSettings account={a} canEdit={isAdmin} edit={edit} />
          <BillingContactSection account={a} canEdit={isAdmin} edit={edit} />
          <TaxProfileSection accountId={a.id} canEdit={isAdmin} />
        </>
      ) : account.error ? (
        <>
          <PageHeader title={t('list.customersTitle')} />
          <ErrorAlert error={account.error} />
        </>
      ) : (
        <Center p="xl">
          <Loader aria-label={t('state.loading', { ns: 'common' })} />
        </Center>
      )}
    </Stack>
  );
}
