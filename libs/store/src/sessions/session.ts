/** A login: every refresh token rotated from it shares its `sid`, and revoking it ends them all. */
export interface Session {
  sid: string;
  sub: string;
  createdAt: Date;
  /** The last login or refresh of the session. */
  lastUsedAt: Date;
  /** The `User-Agent` of the login, cut to `MAX_USER_AGENT_LENGTH` characters. */
  userAgent?: string;
  /** The client address of the login, as the rate limits saw it. */
  ip?: string;
  /** When its current refresh token expires. */
  expiresAt: Date;
  /** When the session ends whatever is refreshed: no refresh token outlives it (`IOAUTH_SESSION_MAX_AGE`). */
  absoluteExpiresAt: Date;
  revokedAt?: Date;
  revokedReason?: string;
}

/** Longest `User-Agent` a session keeps, in characters: enough to name a browser and device. */
export const MAX_USER_AGENT_LENGTH = 256;

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

/**
 * Sessions and their refresh tokens, stored by hash only. Revoking them is the `RevocationLog`'s work
 * (`SqlRevocationLog`), which records the revocation in the same transaction.
 */
export interface SessionRepository {
  /**
   * Opens a session with its first refresh token, which expires at `expiresAt` at the latest. With
   * `unlessUserRevokedSince`, opens none (and resolves undefined) when every session of the user was revoked at or
   * after that moment: a login whose password was checked before a password change, a disable or a kick must not
   * outlive it.
   */
  createSession(input: {
    sid: string;
    sub: string;
    refreshTokenHash: string;
    now: Date;
    expiresAt: Date;
    absoluteExpiresAt: Date;
    userAgent?: string;
    ip?: string;
    unlessUserRevokedSince?: Date;
  }): Promise<Session | undefined>;
  /**
   * Spends a refresh token and stores the next one, atomically: of concurrent uses of one token at most one is
   * `rotated`, and any later one is `reused`, which revokes the session. The next token expires at `expiresAt`
   * or at the session's absolute end, whichever comes first (rotation never extends a session).
   */
  rotateRefreshToken(input: {
    refreshTokenHash: string;
    nextRefreshTokenHash: string;
    now: Date;
    expiresAt: Date;
  }): Promise<RefreshOutcome>;
  findSession(sid: string): Promise<Session | undefined>;
  /** The sessions of a user that can still be refreshed at `now`, the most recently used first. */
  listLiveSessions(sub: string, now: Date): Promise<Session[]>;
  /**
   * The session a refresh token belongs to, whether that token is live, spent or expired: what RFC 7009 revocation
   * ends. Undefined for a hash never issued (or purged).
   */
  findByRefreshTokenHash(refreshTokenHash: string): Promise<Session | undefined>;
  /**
   * Deletes up to `limit` sessions whose last refresh token expired before `before` (their refresh tokens with
   * them), then up to `limit` expired refresh tokens of live sessions; returns how many rows it deleted.
   */
  purgeExpired(before: Date, limit: number): Promise<number>;
}
