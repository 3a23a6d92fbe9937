import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { blockedRangeOf } from './ip-ranges';

/** Raised from a lookup that resolved to an address a webhook must not reach. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

/**
 * A `lookup` for http(s).request that refuses loopback, private, link-local and unique-local
 * answers. It runs on the very lookup the connection uses, so a host that resolved to a public
 * address when the URL was submitted and to 169.254.169.254 now (DNS rebinding) is still refused.
 */
export function guardedLookup(options: { allowPrivate: boolean; allowedHosts: ReadonlySet<string> }): LookupFunction {
  return (hostname, lookupOptions: LookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = options.allowPrivate || options.allowedHosts.has(hostname.toLowerCase());
      const blocked = allowed ? undefined : addresses.find((a) => blockedRangeOf(a.address));
      if (blocked) {
        return callback(
          new BlockedAddressError(`${hostname} resolves to a ${blockedRangeOf(blocked.address)} address (${blocked.address})`),
          '',
          0,
        );
      }
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}
