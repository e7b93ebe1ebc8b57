/** A login: every refresh token rotated from it shares its `sid`, and revoking it ends them all. */
export interface Session {
  sid: string;
  sub: string;
  createdAt: Date;
  /** When its current refresh token expires. */
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: RevocationReason;
}

/** Why a session was revoked. */
export type RevocationReason = 'logout' | 'refresh_token_reused' | 'admin';

/** What presenting a refresh token led to. */
export type RefreshOutcome =
  /** The token was live: it is spent now, and the next one is stored. */
  | { status: 'rotated'; session: Session }
  /** The token was spent already: the whole session is revoked now (RFC 9700 section 4.14.2). */
  | { status: 'reused'; session: Session }
  /** The session was revoked before. */
  | { status: 'revoked'; session: Session }
  | { status: 'expired' }
  | { status: 'unknown' };

/** Sessions and their refresh tokens, stored by hash only. */
export interface SessionRepository {
  /** Opens a session with its first refresh token. */
  createSession(input: {
    sid: string;
    sub: string;
    refreshTokenHash: string;
    now: Date;
    expiresAt: Date;
  }): Promise<Session>;
  /**
   * Spends a refresh token and stores the next one, atomically: of concurrent uses of one token at most one is
   * `rotated`, and any later one is `reused`, which revokes the session.
   */
  rotateRefreshToken(input: {
    refreshTokenHash: string;
    nextRefreshTokenHash: string;
    now: Date;
    expiresAt: Date;
  }): Promise<RefreshOutcome>;
  /** Revokes a live session; undefined when it was unknown or revoked already. */
  revokeSession(sid: string, reason: RevocationReason, now: Date): Promise<Session | undefined>;
  /** Revokes every live session of a user, returning them. */
  revokeUserSessions(sub: string, reason: RevocationReason, now: Date): Promise<Session[]>;
  findSession(sid: string): Promise<Session | undefined>;
  /** Sessions revoked at or after `since`: what a process starting up must refuse while their tokens live. */
  revokedSince(since: Date): Promise<Session[]>;
  /** Deletes sessions whose last refresh token expired before `before`; returns how many. */
  purgeExpired(before: Date): Promise<number>;
}
