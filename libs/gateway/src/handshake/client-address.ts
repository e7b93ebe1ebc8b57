import type { IncomingMessage } from 'node:http';

import proxyaddr from 'proxy-addr';

import type { IoauthConfig } from '@ioauth/auth-core';

/**
 * The client address of a handshake request, as `IOAUTH_TRUST_PROXY` allows: the peer address unless the peer is
 * a trusted proxy, then the nearest untrusted address of `X-Forwarded-For`, the rule Express applies to HTTP.
 */
export function clientAddressResolver(
  trustProxy: IoauthConfig['trustProxy'],
): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? 'unknown';
  const trust =
    typeof trustProxy === 'number'
      ? (_address: string, hop: number) => hop < trustProxy
      : proxyaddr.compile([...trustProxy]);
  return (request) => proxyaddr(request, trust);
}
