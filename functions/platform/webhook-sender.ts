import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/**
 * The outbound HTTP of webhooks (services/webhook-delivery.ts): one POST, answered or not within
 * the timeout. The connection goes to an address the caller's `allowAddress` accepted: the host is
 * resolved once, every address it resolves to is checked, and the socket connects to the checked
 * one (a lookup hook), so a name that changes its answer between the check and the connection
 * (DNS rebinding) cannot reach a refused address.
 */
export interface SendResult {
  /** The answer's status, when there was one. */
  statusCode?: number;
  /** Why there was no answer (timeout, refused address, connection error). */
  error?: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowAddress: (address: string) => boolean;
}

export class AddressRefused extends Error {
  constructor(readonly address: string) {
    super(`The address ${address} may not be called`);
    this.name = 'AddressRefused';
  }
}

function guardedLookup(allowAddress: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return (callback as (e: Error) => void)(err);
      const list = addresses as unknown as LookupAddress[];
      const refused = list.find((a) => !allowAddress(a.address));
      if (refused || list.length === 0) return (callback as (e: Error) => void)(new AddressRefused(refused?.address ?? hostname));
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** POSTs `body` to `url` with `headers`; never throws for what the other side does (or does not do). */
export function postWebhook(url: string, body: string, headers: Record<string, string>, opts: SendOptions): Promise<SendResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: 'Invalid URL' });
      return;
    }
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !opts.allowAddress(literal)) {
      resolve({ error: new AddressRefused(literal).message });
      return;
    }
    const options: RequestOptions = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(opts.allowAddress),
      agent: false,
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(target, options, (res) => {
      // The status is the outcome; the answer's body is never read (a slow or endless one cannot hold the sender).
      done({ statusCode: res.statusCode ?? 0 });
      res.destroy();
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ error: `No answer within ${opts.timeoutMs / 1000} s` });
    }, opts.timeoutMs);
    req.on('error', (err) => done({ error: err instanceof AddressRefused ? err.message : `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}` }));
    req.end(body);
  });
}

/** Every address a host name resolves to (an IP literal is its own); empty when it does not resolve. */
export async function resolveHost(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  try {
    return (await lookupAll(bare, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}
