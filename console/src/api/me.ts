import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api } from './client';
import { unwrap } from './errors';
import { session, type Session } from './session';
import type { components } from './schema';

export type Me = components['schemas']['Me'];

/** The signed-in session (undefined when signed out), following sign-in, refresh and sign-out. */
export function useSession(): Session | undefined {
  return useSyncExternalStore(session.subscribe, session.get);
}

export const meQuery = {
  queryKey: ['me'] as const,
  queryFn: () => unwrap(api.GET('/v1/me')),
  staleTime: 60_000,
};

/** The caller's profile with its account type and, under "log in as", the real person. */
export function useMe() {
  return useQuery(meQuery);
}

export type Persona = 'customerAdmin' | 'customerUser' | 'staffAdmin' | 'staffUser';

export function personaOf(me: Pick<Me, 'accountType' | 'role'>): Persona {
  if (me.accountType === 'customer') return me.role === 'admin' ? 'customerAdmin' : 'customerUser';
  return me.role === 'admin' ? 'staffAdmin' : 'staffUser';
}
