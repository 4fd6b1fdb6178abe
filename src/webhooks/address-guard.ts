// Where a webhook may be sent. The platform runs inside a force's network and in clouds, so a URL an
// admin (or a stolen admin session) registers must not reach the platform's own host or a cloud's
// metadata service (169.254.169.254, fd00:ec2::254 is unique-local and allowed like private ranges):
// loopback, link-local, unspecified, multicast and broadcast addresses are refused unless
// WEBHOOK_ALLOW_LOOPBACK=true. Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed:
// a force's own systems live there. Every address a name resolves to is checked, and the delivery
// connects to the checked address itself (pinned lookup), so DNS rebinding cannot get round it.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** ipaddr.js ranges refused unless loopback is allowed. */
const REFUSED_RANGES = new Set(['loopback', 'linkLocal', 'unspecified', 'multicast', 'broadcast']);
const RESOLVE_TIMEOUT_MS = 5_000;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export class RefusedAddress extends Error {}

/** Why this address may not be a webhook's destination, or null if it may. */
export function refusal(address: string, allowLoopback: boolean): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address it carries.
  const range = ipaddr.process(address).range();
  if (REFUSED_RANGES.has(range) && !allowLoopback) return `${address} is a ${range} address`;
  return null;
}

/**
 * Resolves the URL's host to every address it has and checks each; throws RefusedAddress if any is
 * refused or the name does not resolve. Only http and https URLs.
 */
export async function resolveDestination(url: URL, allowLoopback: boolean): Promise<ResolvedAddress[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RefusedAddress(`${url.protocol} URLs are not allowed`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) as 4 | 6 }] : await resolveAll(host);
  if (addresses.length === 0) throw new RefusedAddress(`${host} has no address`);
  for (const a of addresses) {
    const why = refusal(a.address, allowLoopback);
    if (why) throw new RefusedAddress(why);
  }
  return addresses;
}

async function resolveAll(host: string): Promise<ResolvedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RefusedAddress(`${host} did not resolve in time`)),
      RESOLVE_TIMEOUT_MS,
    );
  });
  try {
    const found = await Promise.race([dnsLookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (err) {
    if (err instanceof RefusedAddress) throw err;
    throw new RefusedAddress(`${host} does not resolve (${(err as { code?: string }).code ?? 'error'})`);
  } finally {
    clearTimeout(timer);
  }
}
