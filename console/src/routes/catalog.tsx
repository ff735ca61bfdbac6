import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

/** The distributor's catalog: products and their offers. */
export const catalogRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'catalog',
    validateSearch: (s: Record<string, unknown>): { q?: string; category?: string; status?: string } => ({
      q: typeof s.q === 'string' ? s.q : undefined,
      category: typeof s.category === 'string' ? s.category : undefined,
      status: typeof s.status === 'string' ? s.status : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/catalog/CatalogPage'), 'CatalogPage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'catalog/$productId', component: lazyRouteComponent(() => import('../features/catalog/ProductPage'), 'ProductPage') }),
] as const;
