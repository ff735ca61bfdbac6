import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute } from './root';

export const shopRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: 'marketplace',
    validateSearch: (s: Record<string, unknown>): { q?: string; category?: string } => ({
      q: typeof s.q === 'string' ? s.q : undefined,
      category: typeof s.category === 'string' ? s.category : undefined,
    }),
    component: lazyRouteComponent(() => import('../features/shop/MarketplacePage'), 'MarketplacePage'),
  }),
  createRoute({ getParentRoute: () => appRoute, path: 'marketplace/$productId', component: lazyRouteComponent(() => import('../features/shop/ProductPage'), 'ProductPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'cart', component: lazyRouteComponent(() => import('../features/shop/CartPage'), 'CartPage') }),
  createRoute({ getParentRoute: () => appRoute, path: 'checkout', component: lazyRouteComponent(() => import('../features/shop/CheckoutPage'), 'CheckoutPage') }),
] as const;
