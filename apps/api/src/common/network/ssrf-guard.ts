import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Thrown when an outbound request would reach a non-public address. */
export class BlockedTargetError extends Error {
  readonly code = 'target_not_allowed';

  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`${target} is not an allowed target (${reason})`);
    this.name = 'BlockedTargetError';
  }
}

export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((entry) => entry.address))));
  });

/**
 * Why an address may not be contacted, or null when it is public unicast. IPv4-mapped IPv6 is
 * judged as the IPv4 it carries; everything ipaddr.js does not call `unicast` (loopback, private,
 * link-local incl. 169.254.169.254, CGNAT, multicast, reserved, 6to4, NAT64, ...) is refused.
 */
export function blockedAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  const parsed = ipaddr.process(bare);
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

export interface GuardOptions {
  allowPrivate: boolean;
  resolver?: Resolver;
}

/**
 * Checks a URL before it is fetched and at every redirect hop: http(s) only, and every address the
 * host resolves to must be public. Returns the parsed URL.
 */
export async function assertAllowedUrl(target: string | URL, options: GuardOptions): Promise<URL> {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    throw new BlockedTargetError(String(target), 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BlockedTargetError(url.href, `scheme ${url.protocol} is not allowed`);
  if (url.username || url.password) throw new BlockedTargetError(url.origin, 'credentials in URLs are not allowed');
  if (options.allowPrivate) return url;

  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) throw new BlockedTargetError(url.href, 'loopback');
  const addresses = isIP(host) ? [host] : await (options.resolver ?? systemResolver)(host).catch(() => {
    throw new BlockedTargetError(url.href, 'the host name does not resolve');
  });
  if (addresses.length === 0) throw new BlockedTargetError(url.href, 'the host name does not resolve');
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) throw new BlockedTargetError(url.href, reason);
  }
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` replacement for HTTP agents: resolves, then refuses non-public answers, so the
 * address actually connected to is the one checked (no DNS-rebinding gap between check and use).
 */
export function createGuardedLookup(options: GuardOptions) {
  return (hostname: string, lookupOptions: LookupOptions | LookupCallback, maybeCallback?: LookupCallback): void => {
    const callback = (typeof lookupOptions === 'function' ? lookupOptions : maybeCallback)!;
    const settings: LookupOptions = typeof lookupOptions === 'function' ? {} : lookupOptions;
    dnsLookup(hostname, { ...settings, all: true }, (error, addresses) => {
      if (error) return callback(error, settings.all ? [] : '', undefined);
      const list = addresses as LookupAddress[];
      if (!options.allowPrivate) {
        const blocked = list.find((entry) => blockedAddressReason(entry.address));
        if (blocked || list.length === 0) {
          const refusal = new BlockedTargetError(hostname, blocked ? blockedAddressReason(blocked.address)! : 'no address') as BlockedTargetError & NodeJS.ErrnoException;
          return callback(refusal, settings.all ? [] : '', undefined);
        }
      }
      if (settings.all) return callback(null, list);
      const first = list[0]!;
      return callback(null, first.address, first.family);
    });
  };
}
