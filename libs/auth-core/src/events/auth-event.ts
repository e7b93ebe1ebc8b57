import type { RevocationReason } from '../revocation/revocation.js';

/**
 * Everything ioauth tells an application that happened, one type per event. Events name users and sessions, never
 * a password, token or key.
 */
export type AuthEvent =
  /** A login proved who the user is and opened session `sid`. */
  | { type: 'login.succeeded'; sub: string; sid: string }
  /**
   * A login was refused: `invalid_credentials` (unknown user, wrong password, disabled) or `rate_limited` (a
   * per-username or per-address limit). `username` is the normalized name tried, when there was a valid one.
   */
  | { type: 'login.failed'; username?: string; reason: 'invalid_credentials' | 'rate_limited' }
  /** The refresh grant rotated the refresh token of session `sid` and issued new tokens. */
  | { type: 'token.refreshed'; sub: string; sid: string }
  /** The refresh grant refused a token that is unknown, expired or malformed, or whose session was revoked. */
  | { type: 'refresh.failed'; reason: 'invalid_token' | 'token_revoked' }
  /** A spent refresh token came back: the session is revoked (RFC 9700 section 4.14.2). */
  | { type: 'refresh.reused'; sub: string; sid: string }
  /** Session `sid` ended, on every process. */
  | { type: 'session.revoked'; sub: string; sid: string; reason: RevocationReason }
  /** Every session of a user ended, and every token issued to them so far is refused; `sessions` ended live. */
  | { type: 'user.revoked'; sub: string; reason: RevocationReason; sessions: number }
  /** A user lost a scope or role: their earlier tokens keep only the grants left, and live sockets must refresh. */
  | { type: 'grants.changed'; sub: string }
  /** A socket passed the handshake of `namespace` (`sub` unset for an anonymous one). */
  | { type: 'socket.authenticated'; socketId: string; namespace: string; sub?: string; sid?: string }
  /** A handshake was refused with `connect_error` `code`. */
  | { type: 'socket.refused'; namespace: string; code: string }
  /**
   * An authenticated socket was closed by ioauth: its token expired or was revoked, or it kept sending over its
   * budget (`rate_limited`).
   */
  | {
      type: 'socket.closed';
      socketId: string;
      namespace: string;
      sub?: string;
      sid?: string;
      reason: 'token_expired' | 'token_revoked' | 'rate_limited';
    };

/** The name of an event type. */
export type AuthEventType = AuthEvent['type'];

/** The event of one type. */
export type AuthEventOf<T extends AuthEventType> = Extract<AuthEvent, { type: T }>;
