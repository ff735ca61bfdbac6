import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import './i18n';
import { createTheme, MantineProvider, Table, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, Suspense } from 'react';
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
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
  components: {
    // A table wider than a 360 px screen scrolls sideways in its own box: a native scroll box a
    // keyboard can reach (Tab, then the arrows), as axe's scrollable-region-focusable asks.
    TableScrollContainer: Table.ScrollContainer.extend({ defaultProps: { type: 'native', tabIndex: 0 } }),
  },
});
// Mantine's "dimmed" text (descriptions, hints, step labels) is gray 6 and its error text red 6, both below
// AA contrast on white: gray 7 and red 9 everywhere.
const readableVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7]!, '--mantine-color-error': t.colors.red[9]! },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={readableVariables}>
      <QueryClientProvider client={queryClient}>
          {/* The first catalogs load before the first screen paints (i18n/index.ts). */}
          <Suspense fallback={null}>
            <RouterProvider router={router} />
          </Suspense>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
