// What bench:scale (the parent) and its load processes (scale.load.ts) say over IPC.

/** How a load process mints its sockets' access tokens: as the gateways under test accept them. */
export interface MintSpec {
  /** The HS256 secret the gateways were given. */
  secret: string;
  /** Its RFC 7638 thumbprint, the tokens' `kid`. */
  kid: string;
}

/** What a batch of sockets authenticates as. */
export interface TokenPlan {
  /** `sub` of every socket: one user with many sockets. Unset: a user per socket. */
  sub?: string;
  /**
   * `iat` and `exp` (epoch seconds) of each socket's first token, the same for all: tokens that expire within the
   * same second. Every later token (refresh, reconnect) lives an hour from its minting.
   */
  first?: { iat: number; exp: number };
}

/** The client library of a batch. */
export type ClientKind =
  /** socket.io-client with `auth: {token}`, no reconnection: what the holds count. */
  | 'socket.io-client'
  /** `IoauthSocket` of `@ioauth/client`, reconnecting and refreshing by itself. */
  | 'ioauth';

export interface OpenRequest {
  type: 'open';
  /** Gateway URLs; the sockets are dealt round-robin over them. */
  urls: string[];
  count: number;
  client: ClientKind;
  tokens: TokenPlan;
  /** Handshakes in flight at once. */
  inFlight: number;
}

/** A socket a parent can act on: its server-side id and its session. */
export interface SocketRef {
  index: number;
  url: string;
  socketId: string;
  sid: string;
  sub: string;
}

/** Counters of a load process since its last `open`. */
export interface LoadStats {
  held: number;
  connected: number;
  /** Connects after the first, each a reconnect. */
  reconnects: number;
  disconnects: number;
  /** `connect_error` with a `data.code` other than `unavailable` or `rate_limited`: the server refused the token. */
  refusals: number;
  /** Every `connect_error` code seen, with its count, those retried included. */
  refusalCodes: Record<string, number>;
  /** Handshakes a plain socket tried again: after a transport error or timeout, `unavailable` or `rate_limited`. */
  retries: number;
  /** CPU time of the load process so far (µs, user + system). */
  cpu: number;
  expiring: number;
  refreshed: number;
  unauthorized: number;
  authErrors: Record<string, number>;
}

export type LoadRequest =
  | OpenRequest
  | { type: 'stats' }
  /** Sockets whose indexes are given (all if unset), with their ids and sessions. */
  | { type: 'refs'; indexes?: number[] }
  /**
   * Resolves once every socket has reached `until` (`connected` counts a socket that is connected now; `disconnected`
   * and `refreshed` count once per socket since the last `open` or `mark`), with the monotonic time of the last one.
   */
  | { type: 'wait'; until: 'connected' | 'disconnected' | 'refreshed'; timeoutMs: number }
  /** Forgets the `disconnected` and `refreshed` marks, before a step that waits for them. */
  | { type: 'mark' }
  /** Resolves once every connected socket has heard broadcast `seq`: the monotonic time of the last one. */
  | { type: 'broadcast'; seq: number; timeoutMs: number }
  /** Monotonic time at which each of these sockets disconnected (after `mark`), once all have. */
  | { type: 'closed-at'; indexes: number[]; timeoutMs: number }
  /** Every socket sends one acknowledged `ping` carrying a token, all at once: the baseline of the refresh storm. */
  | { type: 'ping-all'; timeoutMs: number }
  | { type: 'close' };

export type LoadReply =
  | { type: 'opened'; ms: number }
  | { type: 'stats'; stats: LoadStats }
  | { type: 'refs'; refs: SocketRef[] }
  | { type: 'at'; at: number }
  | { type: 'times'; at: number[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** Monotonic milliseconds, comparable across the processes of one machine (CLOCK_MONOTONIC). */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
