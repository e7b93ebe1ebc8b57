import type { AckError, ErrorCode } from './error-codes.js';
import type { WhoAmI } from './claims.js';

/** Acknowledgement of an event: its result, or the reason it was refused. */
export type Ack<T = { ok: true }> = T | AckError;

/** Payload of the `exception` event, sent for a refused event the client sent without an ack. */
export interface ExceptionPayload {
  code: ErrorCode;
  message: string;
  event: string;
}

/** Events ioauth's gateway emits on every namespace that has a user (socket.io typed events, shared/CONTRACT.md). */
export interface IoauthServerEvents {
  /** Refresh in-band before `exp`: the token is about to expire, or (`reason`) the user's grants were reduced. */
  'auth:expiring': (payload: { exp: number; reason?: 'grants_changed' }) => void;
  /** The socket is closed right after: its token expired or was revoked, or it kept sending over its budget. */
  'auth:error': (payload: {
    code: 'token_expired' | 'token_revoked' | 'rate_limited';
    message?: string;
  }) => void;
  exception: (payload: ExceptionPayload) => void;
}

/** Events ioauth's gateway answers on every namespace that has a user, with the acknowledgement each gets. */
export interface IoauthClientEvents {
  'auth:refresh': (payload: { token: string }, ack: (result: Ack<{ exp: number }>) => void) => void;
  whoami: (ack: (result: Ack<WhoAmI>) => void) => void;
}

/**
 * What an app's event map must satisfy next to ioauth's: every event is a listener, and an event named like one of
 * ioauth's has exactly ioauth's signature (else the app's listener would be called with payloads it does not expect).
 * Exactly, so checked both ways: a listener that ignores ioauth's payload is still assignable to ioauth's.
 */
type AppEvents<App, Ioauth> = {
  [Event in keyof App]: Event extends keyof Ioauth
    ? [Ioauth[Event]] extends [App[Event]]
      ? Ioauth[Event]
      : never
    : (...args: never[]) => unknown;
};

/**
 * The events a server emits: ioauth's and the app's, for `Namespace<ClientEvents, ServerEvents>` on the server and
 * `IoauthSocket<ServerEvents, ClientEvents>` in the browser. Redefining one of ioauth's events is a type error.
 *
 * @example
 * type ServerEvents = WithIoauthServerEvents<{ 'order:updated': (order: Order) => void }>;
 */
export type WithIoauthServerEvents<App extends AppEvents<App, IoauthServerEvents>> = IoauthServerEvents & App;

/**
 * The events a client emits: ioauth's and the app's, socket.io style (an event with an ack takes the ack callback
 * last). Redefining one of ioauth's events is a type error.
 *
 * @example
 * type ClientEvents = WithIoauthClientEvents<{ 'order:watch': (id: string, ack: (r: Ack) => void) => void }>;
 */
export type WithIoauthClientEvents<App extends AppEvents<App, IoauthClientEvents>> = IoauthClientEvents & App;
