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

/** A chat line as broadcast by the demo's `chat:message`. */
export interface ChatMessage {
  from: string;
  text: string;
  /** ISO 8601 time the server accepted the message. */
  at: string;
}

/** Events the server emits (socket.io typed events, shared/CONTRACT.md). */
export interface ServerToClientEvents {
  'auth:expiring': (payload: { exp: number }) => void;
  /** The socket is closed right after: its token expired or was revoked, or it kept sending over its budget. */
  'auth:error': (payload: {
    code: 'token_expired' | 'token_revoked' | 'rate_limited';
    message?: string;
  }) => void;
  exception: (payload: ExceptionPayload) => void;
  'chat:message': (message: ChatMessage) => void;
}

/** Events a client emits, with the acknowledgement each answers. */
export interface ClientToServerEvents {
  'auth:refresh': (payload: { token: string }, ack: (result: Ack<{ exp: number }>) => void) => void;
  whoami: (ack: (result: Ack<WhoAmI>) => void) => void;
  'chat:send': (payload: { text: string }, ack?: (result: Ack) => void) => void;
  'sessions:kick': (payload: { sub: string }, ack?: (result: Ack) => void) => void;
}
