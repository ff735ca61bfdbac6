import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import './i18n';
import { CloseButton, createTheme, MantineProvider, Table, type CloseButtonProps, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, Suspense, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createRoot } from 'react-dom/client';
import { SESSION_EXPIRED } from './api/client';
import { ApiError } from './api/errors';
import { makeRouter } from './routes/tree';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal is an answer, not a blip: retry only what may pass on a second try.
      retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.status === 0 || err.status >= 500 || err.status === 429),
    },
  },
});
const router = makeRouter(queryClient);

window.addEventListener(SESSION_EXPIRED, () => {
  queryClient.clear();
  void router.navigate({ to: '/login', search: { next: router.state.location.href, expired: true } });
});

// Shade 8 of blue keeps text and links above WCAG AA contrast on white and on gray.0.
/** The theme; close buttons (dialogs, toasts, alerts) are named in the user's language. */
function useTheme() {
  const { t } = useTranslation();
  return useMemo(
    () =>
      createTheme({
        primaryColor: 'blue',
        primaryShade: 8,
        defaultRadius: 'sm',
        // People who ask their system for less motion get dialogs and toasts without transitions.
        respectReducedMotion: true,
        components: {
          // A table wider than a 360 px screen scrolls sideways in its own box: a native scroll box a
          // keyboard can reach (Tab, then the arrows), as axe's scrollable-region-focusable asks.
          TableScrollContainer: Table.ScrollContainer.extend({ defaultProps: { type: 'native', tabIndex: 0 } }),
          CloseButton: CloseButton.extend({ defaultProps: { 'aria-label': t('actions.close') } as Partial<CloseButtonProps> }),
        },
      }),
    [t],
  );
}

// Mantine's "dimmed" text (descriptions, hints, step labels) is gray 6 and its error text red 6, both below
// AA contrast on white: gray 7 and red 9 everywhere. Light badges and alerts of the bright hues get text
// dark enough for AA on their tinted background.
const DARK_TEXT: Record<string, string> = { yellow: '#7c5300', orange: '#9a3c00', lime: '#3f6212', green: '#1f6b2e', teal: '#0b6157', cyan: '#0b5f73' };
const readableVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    '--mantine-color-error': t.colors.red[9]!,
    // Links in blue 9: AA contrast on white and on the light tint of blue and orange notices alike.
    '--mantine-color-anchor': t.colors.blue[9]!,
    ...Object.fromEntries(Object.entries(DARK_TEXT).map(([name, color]) => [`--mantine-color-${name}-light-color`, color])),
  },
  dark: {},
});

function Providers({ children }: { children: ReactNode }) {
  const theme = useTheme();
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={readableVariables}>
      {children}
    </MantineProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* The first catalogs load before the first screen paints (i18n/index.ts). */}
    <Suspense fallback={null}>
      <Providers>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </Providers>
    </Suspense>
  </StrictMode>,
);
