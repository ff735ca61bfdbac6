import { Skeleton, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { readable } from '../users/contrast';
import { BillingContactSection } from '../customers/BillingContactSection';
import { useAccount, useEditAccount } from '../customers/queries';
import { TaxProfileSection } from './TaxProfileSection';

/**
 * The own account's tax details (everyone reads them; its admins set them): the legal name,
 * country, VAT id and address its invoices name, as seller (the distributor, a reseller) or buyer.
 */
export function TaxProfilePage() {
  const { t } = useTranslation('account');
  const me = useMe();
  const account = useAccount(me.data?.accountId);
  const edit = useEditAccount();
  if (me.error) return <ErrorAlert error={me.error} />;
  return (
    <Stack maw={880} style={readable}>
      <PageHeader title={t('tax.pageTitle')} />
      {me.data ? <TaxProfileSection accountId={me.data.accountId} canEdit={me.data.role === 'admin'} titled={false} /> : <Skeleton h={320} />}
      {/* Where the own account's invoice and payment emails go: its admins set it. */}
      {account.data && me.data ? <BillingContactSection account={account.data} canEdit={me.data.role === 'admin'} edit={edit} /> : null}
    </Stack>
  );
}
