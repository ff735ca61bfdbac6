import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request being served, for the code below the handler that must know where it runs
 * without every signature carrying it: the cursors of data/tx.ts are bound to the route and the
 * caller they were issued to. Set by the HTTP wrapper (http-base.ts); absent in jobs and workflows.
 */
export interface RequestContext {
  routeKey: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runInRequest = <T>(context: RequestContext, fn: () => Promise<T>): Promise<T> => storage.run(context, fn);

export const currentRequest = (): RequestContext | undefined => storage.getStore();
