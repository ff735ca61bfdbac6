import type { TFunction } from 'i18next';
import { personaOf, useMe } from '../../api/me';

/**
 * Who may do what on the catalog screens: the distributor's staff see the whole catalog (retired
 * products too); only its admins change it. Anyone else is told the screen is not theirs.
 */
export function useCatalogAccess() {
  const me = useMe();
  const persona = me.data ? personaOf(me.data) : undefined;
  const distributor = (persona === 'staffAdmin' || persona === 'staffUser') && me.data?.accountType === 'distributor';
  return { me, ready: !!me.data, distributor, canEdit: distributor && persona === 'staffAdmin' };
}

/** A category in words: the known ones translated, any other one as it is, capitalised. */
export function categoryLabel(t: TFunction<'catalog'>, category: string): string {
  return t(`category.${category}` as never, { defaultValue: category.charAt(0).toUpperCase() + category.slice(1) });
}
