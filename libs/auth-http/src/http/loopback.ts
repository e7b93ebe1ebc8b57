import { BlockList, isIP } from 'node:net';

// Node's BlockList also matches an IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) against the IPv4 range.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether an IP address is this machine's own: 127.0.0.0/8 (IPv4-mapped too) or `::1`, in any spelling. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const family = address === undefined ? 0 : isIP(address);
  return family !== 0 && LOOPBACK.check(address as string, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a host name (as in `Host`, IPv6 in brackets) names this machine: `localhost` or a loopback address. */
export function isLoopbackHost(hostname: string | undefined): boolean {
  if (hostname === undefined) return false;
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || isLoopbackAddress(host);
}
