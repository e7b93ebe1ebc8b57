import type { Socket } from 'socket.io';

/**
 * Who is behind a socket, as the handshake (or the last in-band refresh) verified it. Only claims are kept, never
 * the raw token: it is not needed after verification and would cost about 0.4 KB per socket. `Claims` types the
 * application's own claims, as in `@WsUser() user: WsIdentity<{ tenant: string }>`.
 */
export interface WsIdentity<Claims extends Record<string, unknown> = Record<string, unknown>> {
  sub: string;
  /** Session id; revoking it closes the socket. Unset for verify-only tokens without `sid`. */
  sid?: string;
  /** Space-separated scopes. */
  scope: string;
  roles: readonly string[];
  /** Expiry in seconds since the epoch; unset only for verify-only tokens when `IOAUTH_REQUIRE_EXP=false`. */
  exp?: number;
  /** Issued-at in seconds, for revocations of every token a user held at a moment. */
  iat?: number;
  /**
   * The application's own claims of an ioauth token (those `AccessGrant.claims` minted, such as `tenant`), unset
   * when it has none; every claim of a verify-only token, registered ones included.
   */
  claims?: Claims;
}

/** Key of the identity in `socket.data`: a string, so that the Redis adapter's `fetchSockets` carries it. */
export const WS_IDENTITY_KEY = 'ioauth';

/** The identity of a socket, or undefined for an anonymous socket on a namespace whose policy allows it. */
export function wsIdentity<Claims extends Record<string, unknown> = Record<string, unknown>>(
  socket: Pick<Socket, 'data'>,
): WsIdentity<Claims> | undefined {
  const data = socket.data as Record<string, unknown> | undefined;
  return data?.[WS_IDENTITY_KEY] as WsIdentity<Claims> | undefined;
}

/** Records the identity of a socket. */
export function setWsIdentity(socket: Pick<Socket, 'data'>, identity: WsIdentity | undefined): void {
  if (socket.data === undefined || socket.data === null) socket.data = {};
  (socket.data as Record<string, unknown>)[WS_IDENTITY_KEY] = identity;
}
