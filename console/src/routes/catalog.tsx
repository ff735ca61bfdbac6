import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

/** The distributor's catalog: products and their offers. */
export const catalogRoutes = [
  createRoute({ getParentRoute: () => appRoute, path: 'catalog', component: lazyRouteComponent(() => import('../features/catalog/CatalogPage'), 'CatalogPage') }),
] as const;
