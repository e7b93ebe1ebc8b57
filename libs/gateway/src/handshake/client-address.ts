import type { IncomingMessage } from 'node:http';

import proxyaddr from 'proxy-addr';

import type { WsAuthSettings } from '../ws-auth.options.schema.js';

/**
 * The client address of a handshake request, as the `trustProxy` option allows: the peer address unless the peer is
 * a trusted proxy, then the nearest untrusted address of `X-Forwarded-For`, the rule Express applies to HTTP.
 */
export function clientAddressResolver(
  trustProxy: WsAuthSettings['trustProxy'],
): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? 'unknown';
  const trust =
    typeof trustProxy === 'number'
      ? (_address: string, hop: number) => hop < trustProxy
      : proxyaddr.compile([...trustProxy]);
  return (request) => proxyaddr(request, trust);
}
