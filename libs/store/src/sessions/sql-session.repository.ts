import type { SqlClient } from '../sql/sql-client.js';
import {
  MAX_USER_AGENT_LENGTH,
  type RefreshOutcome,
  type Session,
  type SessionRepository,
} from './session.js';

interface SessionRow {
  sid: string;
  sub: string;
  created_at: Date;
  last_used_at: Date;
  user_agent: string | null;
  ip: string | null;
  expires_at: Date;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

const toSession = (row: SessionRow): Session => ({
  sid: row.sid,
  sub: row.sub,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  ...(row.user_agent === null ? {} : { userAgent: row.user_agent }),
  ...(row.ip === null ? {} : { ip: row.ip }),
  expiresAt: row.expires_at,
  absoluteExpiresAt: row.absolute_expires_at,
  ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  ...(row.revoked_reason === null ? {} : { revokedReason: row.revoked_reason }),
});

/** `SessionRepository` over SQL, for PGlite and PostgreSQL alike. */
export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly sql: SqlClient) {}

  async createSession(input: {
    sid: string;
    sub: string;
    refreshTokenHash: string;
    now: Date;
    expiresAt: Date;
    absoluteExpiresAt: Date;
    userAgent?: string;
    ip?: string;
    unlessUserRevokedSince?: Date;
  }): Promise<Session | undefined> {
    const expiresAt = new Date(Math.min(input.expiresAt.getTime(), input.absoluteExpiresAt.getTime()));
    const userAgent = input.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || undefined;
    const ip = input.ip?.slice(0, 64) || undefined;
    // One statement rather than a transaction of two inserts: as atomic (a statement is its own transaction, and
    // the refresh token's foreign key is checked at its end), but one round trip to PostgreSQL instead of four and
    // three fewer statements through the embedded database, which runs on the login path (bench/login.bench.ts).
    // A user revocation recorded after the password was checked wins over the login: the session is not opened.
    // If the revocation commits after the session instead, the revocation's own update ends it.
    const opened = await this.sql.query(
      `with session as (
         insert into ioauth_sessions (sid, sub, created_at, last_used_at, expires_at, absolute_expires_at, user_agent, ip)
         select $1, $2, $3, $3, $4, $6, $7, $8
          where $9::timestamptz is null or not exists (
            select 1 from ioauth_revocations
             where kind = 'user' and sub = $2 and revoked_at >= $9::timestamptz)
         returning sid
       )
       insert into ioauth_refresh_tokens (token_hash, sid, created_at, expires_at)
       select $5, sid, $3, $4 from session
       returning sid`,
      [
        input.sid,
        input.sub,
        input.now,
        expiresAt,
        input.refreshTokenHash,
        input.absoluteExpiresAt,
        userAgent ?? null,
        ip ?? null,
        input.unlessUserRevokedSince ?? null,
      ],
    );
    if (opened.length === 0) return undefined;
    return {
      sid: input.sid,
      sub: input.sub,
      createdAt: input.now,
      lastUsedAt: input.now,
      ...(userAgent === undefined ? {} : { userAgent }),
      ...(ip === undefined ? {} : { ip }),
      expiresAt,
      absoluteExpiresAt: input.absoluteExpiresAt,
    };
  }

  rotateRefreshToken(input: {
    refreshTokenHash: string;
    nextRefreshTokenHash: string;
    now: Date;
    expiresAt: Date;
  }): Promise<RefreshOutcome> {
    return this.sql.transaction(async (tx) => {
      // The conditional update is the whole race: under concurrent use, PostgreSQL lets one transaction spend the
      // row and re-checks `spent_at is null` for the others once it commits, so they find it spent.
      const [spent] = await tx.query<{ sid: string; expires_at: Date }>(
        `update ioauth_refresh_tokens t set spent_at = $2
           from ioauth_sessions s
          where t.token_hash = $1 and t.spent_at is null and t.expires_at > $2
            and s.sid = t.sid and s.revoked_at is null and s.absolute_expires_at > $2
         returning t.sid, least($3::timestamptz, s.absolute_expires_at) as expires_at`,
        [input.refreshTokenHash, input.now, input.expiresAt],
      );
      if (spent) {
        await tx.query(
          `insert into ioauth_refresh_tokens (token_hash, sid, created_at, expires_at) values ($1, $2, $3, $4)`,
          [input.nextRefreshTokenHash, spent.sid, input.now, spent.expires_at],
        );
        const [row] = await tx.query<SessionRow>(
          'update ioauth_sessions set expires_at = $2, last_used_at = $3 where sid = $1 returning *',
          [spent.sid, spent.expires_at, input.now],
        );
        return { status: 'rotated', session: toSession(row as SessionRow) };
      }
      const [found] = await tx.query<SessionRow & { spent_at: Date | null; token_expires_at: Date }>(
        `select s.*, t.spent_at, t.expires_at as token_expires_at
           from ioauth_refresh_tokens t join ioauth_sessions s on s.sid = t.sid
          where t.token_hash = $1`,
        [input.refreshTokenHash],
      );
      if (!found) return { status: 'unknown' };
      if (found.revoked_at !== null) return { status: 'revoked', session: toSession(found) };
      if (found.spent_at !== null) {
        const [revoked] = await tx.query<SessionRow>(
          `update ioauth_sessions set revoked_at = $2, revoked_reason = 'refresh_token_reused'
            where sid = $1 returning *`,
          [found.sid, input.now],
        );
        return { status: 'reused', session: toSession(revoked as SessionRow) };
      }
      return { status: 'expired' };
    });
  }

  async findSession(sid: string): Promise<Session | undefined> {
    const [row] = await this.sql.query<SessionRow>('select * from ioauth_sessions where sid = $1', [sid]);
    return row && toSession(row);
  }

  async listLiveSessions(sub: string, now: Date): Promise<Session[]> {
    const rows = await this.sql.query<SessionRow>(
      `select * from ioauth_sessions
        where sub = $1 and revoked_at is null and expires_at > $2 and absolute_expires_at > $2
        order by last_used_at desc, sid`,
      [sub, now],
    );
    return rows.map(toSession);
  }

  async findByRefreshTokenHash(refreshTokenHash: string): Promise<Session | undefined> {
    const [row] = await this.sql.query<SessionRow>(
      `select s.* from ioauth_refresh_tokens t join ioauth_sessions s on s.sid = t.sid where t.token_hash = $1`,
      [refreshTokenHash],
    );
    return row && toSession(row);
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    // Bounded batches (the caller loops): a purge never holds many rows locked, so requests never wait on it.
    const sessions = await this.sql.query(
      `delete from ioauth_sessions where sid in (
         select sid from ioauth_sessions where expires_at < $1 limit $2
       ) returning sid`,
      [before, limit],
    );
    // A spent token is kept while it could come back (reuse detection), that is until it expires.
    const tokens = await this.sql.query(
      `delete from ioauth_refresh_tokens where token_hash in (
         select token_hash from ioauth_refresh_tokens where expires_at < $1 limit $2
       ) returning sid`,
      [before, limit],
    );
    return sessions.length + tokens.length;
  }
}
