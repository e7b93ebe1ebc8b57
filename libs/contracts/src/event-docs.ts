import { CONNECT_ERROR_CODES, ErrorCode } from './error-codes.js';
import type { IoauthClientEvents, IoauthServerEvents } from './events.js';

/** A JSON Schema (draft 7, the dialect AsyncAPI 3.0 payloads default to) of a payload or an acknowledgement. */
export type JsonSchema = { readonly [keyword: string]: unknown };

type Listener = (...args: never[]) => unknown;
type TakesAck<L extends Listener> = [Extract<Parameters<L>[number], Listener>] extends [never] ? false : true;
type TakesPayload<L extends Listener> =
  Parameters<L> extends [] ? false : Parameters<L>[0] extends Listener ? false : true;

/** What a socket event carries, at run time, where its listener type has vanished. */
export interface SocketEventDoc {
  /** One line on what the event means. */
  summary: string;
  /** The namespaces it lives on; every namespace of the document when absent. */
  namespaces?: readonly string[];
  /** The payload, for an event that has one. */
  payload?: JsonSchema;
  /** The acknowledgement's result, for an event the client sends with an ack. */
  ack?: JsonSchema;
}

// `payload` is required exactly when the listener takes one and `ack` exactly when it takes an acknowledgement, so
// a description cannot drift from its map.
type DocOf<L extends Listener> = Omit<SocketEventDoc, 'payload' | 'ack'> &
  (TakesPayload<L> extends true ? { payload: JsonSchema } : { payload?: never }) &
  (TakesAck<L> extends true ? { ack: JsonSchema } : { ack?: never });

/**
 * One description per event of an event map: `satisfies SocketEventDocs<Map>` makes an event added to the map without
 * its description, described but not in the map, or described with a payload or ack it does not take, a compile error.
 */
export type SocketEventDocs<Events> = {
  [Event in keyof Events]: Events[Event] extends Listener ? DocOf<Events[Event]> : never;
};

const errorCode = { type: 'string', enum: Object.values(ErrorCode) } as const;

// The error half of an acknowledgement (`AckError`), which any acked event may get instead of its result.
const ACK_ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: errorCode, message: { type: 'string' } },
    },
  },
} as const satisfies JsonSchema;

/** An acknowledgement (`Ack<T>`): the result described by `result`, or the reason the event was refused. */
export function ackSchema(
  result: JsonSchema = { type: 'object', required: ['ok'], properties: { ok: { const: true } } },
) {
  return { oneOf: [result, ACK_ERROR_SCHEMA] } as const satisfies JsonSchema;
}

const seconds = { type: 'integer', description: 'seconds since the epoch' } as const;

/** `err.data` of a refused handshake, as the client's `connect_error` listener receives it. */
export const CONNECT_ERROR_SCHEMA = {
  type: 'object',
  required: ['message', 'data'],
  properties: {
    message: { type: 'string' },
    data: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: CONNECT_ERROR_CODES }, message: { type: 'string' } },
    },
  },
} as const satisfies JsonSchema;

/** The events ioauth's gateway emits, described for the AsyncAPI document. */
export const IOAUTH_SERVER_EVENT_DOCS = {
  'auth:expiring': {
    summary:
      'Refresh in-band with auth:refresh: the token expires at `exp`, or (`reason`) the grants were reduced and the ' +
      'socket is closed unless it refreshes within the refresh window.',
    payload: {
      type: 'object',
      required: ['exp'],
      properties: { exp: seconds, reason: { type: 'string', enum: ['grants_changed'] } },
    },
  },
  'auth:error': {
    summary:
      'The server closes the socket right after: its token expired or was revoked, or it kept over its budget.',
    payload: {
      type: 'object',
      required: ['code'],
      properties: {
        code: { type: 'string', enum: ['token_expired', 'token_revoked', 'rate_limited'] },
        message: { type: 'string' },
      },
    },
  },
  exception: {
    summary:
      'An event the client sent without an ack was refused (forbidden, invalid_payload, rate_limited).',
    payload: {
      type: 'object',
      required: ['code', 'message', 'event'],
      properties: { code: errorCode, message: { type: 'string' }, event: { type: 'string' } },
    },
  },
} as const satisfies SocketEventDocs<IoauthServerEvents>;

/** The events ioauth's gateway answers, described for the AsyncAPI document. */
export const IOAUTH_CLIENT_EVENT_DOCS = {
  'auth:refresh': {
    summary: 'Swap the socket to a fresh access token of the same `sub`; acked with its `exp`.',
    payload: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    ack: ackSchema({ type: 'object', required: ['exp'], properties: { exp: seconds } }),
  },
  whoami: {
    summary: "The socket's identity as the server holds it.",
    ack: ackSchema({
      type: 'object',
      required: ['sub', 'scope', 'roles', 'exp'],
      properties: {
        sub: { type: 'string' },
        scope: { type: 'string' },
        roles: { type: 'array', items: { type: 'string' } },
        exp: seconds,
      },
    }),
  },
} as const satisfies SocketEventDocs<IoauthClientEvents>;
