import type { SqlClient } from '../sql/sql-client.js';
import type { RefreshOutcome, RevocationReason, Session, SessionRepository } from './session.js';

interface SessionRow {
  sid: string;
  sub: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: RevocationReason | null;
}

const toSession = (row: SessionRow): Session => ({
  sid: row.sid,
  sub: row.sub,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
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
  }): Promise<Session> {
    // One statement rather than a transaction of two inserts: as atomic (a statement is its own transaction, and
    // the refresh token's foreign key is checked at its end), but one round trip to PostgreSQL instead of four and
    // three fewer statements through the embedded database, which runs on the login path (bench/login.bench.ts).
    await this.sql.query(
      `with session as (
         insert into ioauth_sessions (sid, sub, created_at, expires_at) values ($1, $2, $3, $4) returning sid
       )
       insert into ioauth_refresh_tokens (token_hash, sid, created_at, expires_at)
       select $5, sid, $3, $4 from session`,
      [input.sid, input.sub, input.now, input.expiresAt, input.refreshTokenHash],
    );
    return { sid: input.sid, sub: input.sub, createdAt: input.now, expiresAt: input.expiresAt };
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
      const [spent] = await tx.query<{ sid: string }>(
        `update ioauth_refresh_tokens t set spent_at = $2
           from ioauth_sessions s
          where t.token_hash = $1 and t.spent_at is null and t.expires_at > $2
            and s.sid = t.sid and s.revoked_at is null
         returning t.sid`,
        [input.refreshTokenHash, input.now],
      );
      if (spent) {
        await tx.query(
          `insert into ioauth_refresh_tokens (token_hash, sid, created_at, expires_at) values ($1, $2, $3, $4)`,
          [input.nextRefreshTokenHash, spent.sid, input.now, input.expiresAt],
        );
        const [row] = await tx.query<SessionRow>(
          'update ioauth_sessions set expires_at = $2 where sid = $1 returning *',
          [spent.sid, input.expiresAt],
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

  async revokeSession(sid: string, reason: RevocationReason, now: Date): Promise<Session | undefined> {
    const [row] = await this.sql.query<SessionRow>(
      `update ioauth_sessions set revoked_at = $2, revoked_reason = $3
        where sid = $1 and revoked_at is null returning *`,
      [sid, now, reason],
    );
    return row && toSession(row);
  }

  async revokeUserSessions(sub: string, reason: RevocationReason, now: Date): Promise<Session[]> {
    const rows = await this.sql.query<SessionRow>(
      `update ioauth_sessions set revoked_at = $2, revoked_reason = $3
        where sub = $1 and revoked_at is null returning *`,
      [sub, now, reason],
    );
    return rows.map(toSession);
  }

  async findSession(sid: string): Promise<Session | undefined> {
    const [row] = await this.sql.query<SessionRow>('select * from ioauth_sessions where sid = $1', [sid]);
    return row && toSession(row);
  }

  async revokedSince(since: Date): Promise<Session[]> {
    const rows = await this.sql.query<SessionRow>(
      'select * from ioauth_sessions where revoked_at >= $1 order by revoked_at',
      [since],
    );
    return rows.map(toSession);
  }

  async purgeExpired(before: Date): Promise<number> {
    const rows = await this.sql.query('delete from ioauth_sessions where expires_at < $1 returning sid', [
      before,
    ]);
    return rows.length;
  }
}
