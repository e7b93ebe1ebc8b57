/**
 * Why a login was ended, as audit lines, metrics and events report it:
 * - `logout`: the user logged out (or revoked the refresh token, RFC 7009);
 * - `refresh_token_reused`: a spent refresh token came back (RFC 9700 section 4.14.2);
 * - `user_gone`: the user was removed or disabled since the session began, seen at a refresh;
 * - `admin_kick`: an operator or the app ended the user's sessions;
 * - `user_removed`, `user_disabled`: the user was removed or disabled.
 */
export type RevocationReason =
  'logout' | 'refresh_token_reused' | 'user_gone' | 'admin_kick' | 'user_removed' | 'user_disabled';

/**
 * A revocation as published on the bus: one session, or every token a user held at that moment. `reason` is a
 * `RevocationReason` when this version wrote it; read from the bus or the store it may be any text.
 */
export type Revocation =
  | { kind: 'session'; sid: string; sub: string; reason: string; at: number }
  | { kind: 'user'; sub: string; reason: string; at: number };

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
