import type { components } from './schema';

/**
 * The signed-in session, kept in localStorage so a reload or a second tab stays signed in (the
 * strict CSP is what keeps scripts of others away from it). Under "log in as" the admin's own
 * session is kept aside in `returnTo`, so the banner's way back needs no new sign-in.
 */
export type Session = components['schemas']['Session'] & { returnTo?: components['schemas']['Session'] };

const KEY = 'clp.session';
type Listener = (s: Session | undefined) => void;
const listeners = new Set<Listener>();

function read(): Session | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

let current: Session | undefined = read();

export const session = {
  get: () => current,
  set(next: Session | undefined) {
    current = next;
    if (next) localStorage.setItem(KEY, JSON.stringify(next));
    else localStorage.removeItem(KEY);
    for (const l of listeners) l(next);
  },
  subscribe(l: Listener) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

// Another tab signed in or out: follow it.
window.addEventListener('storage', (e) => {
  if (e.key !== KEY) return;
  current = read();
  for (const l of listeners) l(current);
});
