import type { Socket } from 'socket.io';

import type { WsIdentity } from '../identity/ws-identity.js';

/** Claims of the application's own on a `WsIdentity`, such as `{ tenant: string }`. */
export type AppClaims = Record<string, unknown>;

/**
 * What a namespace predicate judges: a handshake (the socket is not connected yet), or an in-band refresh (the
 * socket still holds its previous identity; judge the one given).
 */
export interface NamespacePolicyContext {
  namespace: string;
  socket: Socket;
}

/** What a room predicate judges: a join, a refresh (the socket still holds its previous identity) or a recovery. */
export interface RoomPolicyContext {
  room: string;
  socket: Socket;
}

/** What an event predicate judges: an event and its body as the client sent it, before any pipe validated it. */
export interface EventPolicyContext {
  event: string;
  data: unknown;
  socket: Socket;
}

/**
 * An event policy of the application's own, for `@AllowIf`: the event runs only if it answers exactly `true` (or a
 * promise of it); anything else, a throw or a rejection refuses it with `forbidden`.
 */
export type EventPredicate<Claims extends AppClaims = AppClaims> = (
  identity: WsIdentity<Claims>,
  context: EventPolicyContext,
) => boolean | Promise<boolean>;
