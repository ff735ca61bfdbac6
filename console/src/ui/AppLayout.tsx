import { Alert, AppShell, Burger, Button, Group, Menu, NavLink, ScrollArea, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { personaOf, useMe, useSession, type Persona } from '../api/me';
import { session } from '../api/session';
import { useSelfService } from '../features/selfservice/queries';
import { ErrorAlert } from './errors';
import { LanguagePicker } from './LanguagePicker';

type NavKey = 'dashboard' | 'customers' | 'resellers' | 'catalog' | 'users' | 'marketplace' | 'cart' | 'subscriptions' | 'myLicenses' | 'domains' | 'orders' | 'invoices' | 'paymentMethods' | 'myOrders' | 'myInvoices' | 'myPaymentMethods' | 'selfService' | 'profile' | 'support' | 'priceLists' | 'vatRates' | 'taxProfile' | 'apiClients' | 'webhooks';
/**
 * The screens each persona uses; `distributorOnly` ones only the distributor's staff; `selfService`
 * ones only where the account allows self-service purchases (a customer user's own orders, invoices and cards).
 */
const NAV: Array<{ key: NavKey; to: string; for: Persona[]; distributorOnly?: true; selfService?: true }> = [
  { key: 'dashboard', to: '/', for: ['customerAdmin', 'staffAdmin', 'staffUser'] },
  { key: 'customers', to: '/customers', for: ['staffAdmin', 'staffUser'] },
  { key: 'resellers', to: '/resellers', for: ['staffAdmin', 'staffUser'], distributorOnly: true },
  { key: 'catalog', to: '/catalog', for: ['staffAdmin', 'staffUser'], distributorOnly: true },
  { key: 'priceLists', to: '/price-lists', for: ['staffAdmin', 'staffUser'] },
  { key: 'vatRates', to: '/tax-rates', for: ['staffAdmin', 'staffUser'], distributorOnly: true },
  { key: 'myLicenses', to: '/my-licenses', for: ['customerUser'] },
  { key: 'users', to: '/users', for: ['customerAdmin'] },
  { key: 'marketplace', to: '/marketplace', for: ['customerAdmin', 'customerUser'] },
  { key: 'cart', to: '/cart', for: ['customerAdmin', 'customerUser'] },
  { key: 'subscriptions', to: '/subscriptions', for: ['customerAdmin', 'customerUser'] },
  { key: 'domains', to: '/domains', for: ['customerAdmin'] },
  { key: 'orders', to: '/orders', for: ['customerAdmin', 'staffAdmin', 'staffUser'] },
  { key: 'invoices', to: '/billing/invoices', for: ['customerAdmin', 'staffAdmin', 'staffUser'] },
  { key: 'paymentMethods', to: '/billing/payment-methods', for: ['customerAdmin'] },
  { key: 'selfService', to: '/self-service', for: ['customerAdmin'] },
  { key: 'myOrders', to: '/orders', for: ['customerUser'], selfService: true },
  { key: 'myInvoices', to: '/billing/invoices', for: ['customerUser'], selfService: true },
  { key: 'myPaymentMethods', to: '/billing/payment-methods', for: ['customerUser'], selfService: true },
  { key: 'apiClients', to: '/api-clients', for: ['customerAdmin', 'staffAdmin'] },
  { key: 'webhooks', to: '/webhooks', for: ['customerAdmin', 'staffAdmin'] },
  { key: 'taxProfile', to: '/tax-profile', for: ['customerAdmin', 'customerUser', 'staffAdmin', 'staffUser'] },
  { key: 'profile', to: '/profile', for: ['customerAdmin', 'customerUser', 'staffAdmin', 'staffUser'] },
  { key: 'support', to: '/support', for: ['customerAdmin', 'customerUser', 'staffAdmin', 'staffUser'] },
];

/** Signs out (ending the session's refresh token family) or, under "log in as", goes back to the admin. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (toAdmin = false) => {
    const current = session.get();
    await api.POST('/v1/auth/logout').catch(() => undefined);
    queryClient.clear();
    if (toAdmin && current?.returnTo) {
      session.set(current.returnTo);
      // Back where "log in as" started: the page of the user acted as (a customer's, for staff).
      await navigate({ to: '/users/$userId', params: { userId: current.user.id } });
    } else {
      session.set(undefined);
      await navigate({ to: '/login', search: {} });
    }
  };
}

export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const current = useSession();
  const me = useMe();
  const signOut = useSignOut();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const persona = me.data ? personaOf(me.data) : undefined;
  const selfService = useSelfService();
  const actor = current?.returnTo?.user;

  return (
    // Confirmations and toasts are for signed-in screens: their providers live here, not in the initial bundle.
    <ModalsProvider>
      <Notifications position="top-right" />
      <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.openMenu')} />
              <Text component={Link} to="/" fw={700} c="blue.8" td="none">
                {t('appName')}
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <LanguagePicker />
              <Menu position="bottom-end">
                <Menu.Target>
                  <UnstyledButton aria-label={current ? `${current.user.firstName} ${current.user.lastName}` : ''}>
                    <Text size="sm" fw={500} visibleFrom="xs">
                      {current?.user.firstName} {current?.user.lastName}
                    </Text>
                    <Text size="sm" fw={500} hiddenFrom="xs" aria-hidden>
                      {current?.user.firstName.slice(0, 1)}
                      {current?.user.lastName.slice(0, 1)}
                    </Text>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item component={Link} to="/profile">
                    {t('nav.profile')}
                  </Menu.Item>
                  <Menu.Item onClick={() => void signOut()}>{t('actions.signOut')}</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('nav.label')} component="nav">
          <AppShell.Section grow component={ScrollArea}>
            {persona
              ? NAV.filter((n) => n.for.includes(persona) && (!n.distributorOnly || me.data?.accountType === 'distributor') && (!n.selfService || selfService.allowed)).map((n) => (
                  <NavLink
                    key={n.key}
                    component={Link}
                    to={n.to}
                    label={t(`nav.${n.key}`)}
                    active={n.to === '/' ? pathname === '/' : pathname.startsWith(n.to)}
                    // Filled: white on blue 8 keeps AA contrast, hovered or not.
                    variant="filled"
                    onClick={close}
                  />
                ))
              : Array.from({ length: 6 }, (_, i) => <Skeleton key={i} h={28} mt="sm" />)}
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main>
          {actor && current ? (
            <Alert color="orange" mb="md" role="status">
              <Group justify="space-between" gap="sm">
                <Text size="sm">
                  {t('impersonation.banner', { actor: `${actor.firstName} ${actor.lastName}`, target: `${current.user.firstName} ${current.user.lastName}` })}
                </Text>
                <Button size="xs" variant="filled" color="orange.9" onClick={() => void signOut(true)}>
                  {t('impersonation.back')}
                </Button>
              </Group>
            </Alert>
          ) : null}
          {me.error ? <ErrorAlert error={me.error} /> : <Outlet />}
        </AppShell.Main>
      </AppShell>
    </ModalsProvider>
  );
}
