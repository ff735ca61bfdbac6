import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { session } from './session';

/**
 * The one API client: typed by the generated `paths`, same origin as the console. It adds the
 * bearer token, renews the session shortly before the access token expires (and once more on a
 * 401), and signs out when the refresh token is spent or revoked.
 */
const baseUrl = window.location.origin;
const raw = createClient<paths>({ baseUrl });

/** Dispatched on window when the session could not be renewed: the console asks to sign in again. */
export const SESSION_EXPIRED = 'clp:session-expired';

let refreshing: Promise<boolean> | undefined;
const PUBLIC = /^\/v1\/(auth\/(login|refresh|activate|password-reset|confirm-login)|health)/;

/** One refresh at a time, whoever asks. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = session.get();
    if (!current) return false;
    try {
      const { data } = await raw.POST('/v1/auth/refresh', { body: { refreshToken: current.refreshToken } });
      if (!data) {
        session.set(undefined);
        window.dispatchEvent(new Event(SESSION_EXPIRED));
        return false;
      }
      session.set({ ...data, returnTo: current.returnTo });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

const retried = new WeakSet<Request>();
const originals = new WeakMap<Request, Request>();

const auth: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (PUBLIC.test(schemaPath)) return request;
    let current = session.get();
    if (current && Date.parse(current.expiresAt) - Date.now() < 30_000) {
      await refreshSession();
      current = session.get();
    }
    if (current) request.headers.set('authorization', `Bearer ${current.accessToken}`);
    originals.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response, schemaPath }) {
    if (response.status !== 401 || PUBLIC.test(schemaPath) || retried.has(request)) return response;
    const original = originals.get(request);
    if (!original || !(await refreshSession())) return response;
    const again = new Request(original, { headers: new Headers(original.headers) });
    again.headers.set('authorization', `Bearer ${session.get()!.accessToken}`);
    retried.add(again);
    return fetch(again);
  },
};
raw.use(auth);

export const api = raw;

/** A fresh key for one intent (a checkout, a pay click): kept by the form across its retries. */
export const newIdempotencyKey = () => crypto.randomUUID();

/** The `If-Match` header for a resource read earlier: a stale edit answers 412, never overwrites. */
export const ifMatch = (resource: { version: number }) => ({ 'if-match': `"${resource.version}"` });
