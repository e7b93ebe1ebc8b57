/**
 * Why a login was ended, as audit lines, metrics and events report it:
 * - `logout`: the user logged out (or revoked the refresh token, RFC 7009);
 * - `refresh_token_reused`: a spent refresh token came back (RFC 9700 section 4.14.2);
 * - `user_gone`: the user was removed or disabled since the session began, seen at a refresh;
 * - `admin_kick`: an operator or the app ended the user's sessions;
 * - `user_removed`, `user_disabled`: the user was removed or disabled;
 * - `session_ended`: the user ended this session from another one (`DELETE /auth/sessions...`);
 * - `password_changed`: the user's password was changed (every session but the changing one, if any, ends);
 * - `grants_changed`: the user lost a scope or role; tokens issued before keep only the grants left (no session
 *   ends).
 */
export type RevocationReason =
  | 'logout'
  | 'refresh_token_reused'
  | 'user_gone'
  | 'admin_kick'
  | 'user_removed'
  | 'user_disabled'
  | 'session_ended'
  | 'password_changed'
  | 'grants_changed';

/**
 * A revocation as published on the bus and recorded in the store. `at` is in ms since the epoch; `reason` is a
 * `RevocationReason` when this version wrote it, and may be any text read from the bus or the store.
 * - `session`: one session and every token of it;
 * - `user`: every token the user held at `at`, and every session then live, except session `exceptSid` when set
 *   (a password change or "end my other sessions" keeps the session that asked). `sids`, when the store said which
 *   sessions it ended, lets a token of another session issued in the same second through: one of a login made
 *   just after (token times are whole seconds). Without it, every token of that second is refused;
 * - `grants`: the user's grants became `scopes` and `roles` at `at`; a token issued until then keeps only those
 *   of its grants still held (contract v2, "Grants that change mid-connection"). No session ends.
 */
export type Revocation =
  | { kind: 'session'; sid: string; sub: string; reason: string; at: number }
  | { kind: 'user'; sub: string; reason: string; at: number; exceptSid?: string; sids?: string[] }
  | { kind: 'grants'; sub: string; reason: string; at: number; scopes: string[]; roles: string[] };

/** A grants record: what a user may still do as of `at`. */
export type GrantsChange = Extract<Revocation, { kind: 'grants' }>;

/**
 * Carries revocations to every process that verifies tokens: in-process by default, Redis pub/sub when several
 * processes share the work. It is the fast path only: a message may be lost (Redis down, a subscriber
 * reconnecting), and the `RevocationLog` of the store is what every process catches up from.
 */
export interface RevocationBus {
  /** Sends a revocation to every subscriber, this process's included. */
  publish(revocation: Revocation): Promise<void>;
  /** Calls `listener` for every revocation; returns the function that stops it. */
  subscribe(listener: (revocation: Revocation) => void): () => void;
  /**
   * Calls `listener` after a gap in which messages may have been lost (the subscriber reconnected); returns the
   * function that stops it. Absent on a bus that never loses a message.
   */
  onGap?(listener: () => void): () => void;
}

/** The bus of a single process. */
export class InProcessRevocationBus implements RevocationBus {
  private readonly listeners = new Set<(revocation: Revocation) => void>();

  async publish(revocation: Revocation): Promise<void> {
    for (const listener of this.listeners) listener(revocation);
  }

  subscribe(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
