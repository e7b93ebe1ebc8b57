import type { Revocation, RevocationLog, RevocationPage } from '@ioauth/auth-core';

import type { SqlClient } from '../sql/sql-client.js';
import { GroupCommit } from './group-commit.js';
import { recordSessionRevocations, type SessionRevocationEntry } from './session-revocation.batch.js';

interface RevocationRow {
  kind: 'session' | 'user' | 'grants';
  sids: string[] | null;
  sid: string | null;
  except_sid: string | null;
  scopes: string[] | null;
  roles: string[] | null;
  sub: string;
  reason: string;
  revoked_at: Date;
}

/**
 * How far each read reaches back before the previous one began. `recorded_at` is taken when a revocation's
 * statement runs, and it becomes visible when that statement commits, a moment later: a read in between would skip
 * it for good without this overlap. Recording is one statement, so its commit follows within the statement timeout.
 */
const READ_OVERLAP = '10 seconds';

function toRevocation(row: RevocationRow): Revocation {
  const common = { sub: row.sub, reason: row.reason, at: row.revoked_at.getTime() };
  if (row.kind === 'session') return { kind: 'session', sid: row.sid as string, ...common };
  if (row.kind === 'grants')
    return { kind: 'grants', ...common, scopes: row.scopes ?? [], roles: row.roles ?? [] };
  return {
    kind: 'user',
    ...common,
    ...(row.except_sid === null ? {} : { exceptSid: row.except_sid }),
    sids: row.sids ?? [],
  };
}

/** Options of `SqlRevocationLog`. */
export interface SqlRevocationLogOptions {
  /** Most session revocations written by one statement; 500 by default. */
  maxBatchSize?: number;
  /** Most of those statements under way at once; 2 by default. */
  maxBatchesInFlight?: number;
}

/**
 * The `RevocationLog` over SQL, for PGlite and PostgreSQL alike: table `ioauth_revocations`, which references
 * neither sessions nor users, so that purging a session or removing a user never forgets a revocation.
 *
 * Session revocations are written in groups (issue 15): a burst of them (10,000 logouts or admin actions at once)
 * as one statement each would queue on a pool of 10 connections, whose queue wait is bounded at 3 s, and the late
 * ones would fail: revocations lost. Grouped, 10,000 take 20 statements, at most 2 at a time, so that the burst
 * leaves connections to logins. User and grants revocations are rare and keep a statement each.
 */
export class SqlRevocationLog implements RevocationLog {
  private readonly sessions: GroupCommit<SessionRevocationEntry, string[]>;

  constructor(
    private readonly sql: SqlClient,
    options: SqlRevocationLogOptions = {},
  ) {
    this.sessions = new GroupCommit((entries) => recordSessionRevocations(sql, entries), {
      maxBatchSize: options.maxBatchSize ?? 500,
      maxInFlight: options.maxBatchesInFlight ?? 2,
    });
  }

  /**
   * Resolves once the revocation is committed, so that what the caller does next (publishing it) never announces
   * a revocation the database could still lose; rejects, with its whole batch for a session revocation, when it
   * could not be written.
   */
  async record(revocation: Revocation, keepUntil: Date): Promise<string[]> {
    if (revocation.kind === 'session') return this.sessions.add({ revocation, keepUntil });
    // One statement: the revocation and the end of the sessions it covers commit together or not at all. A grants
    // record ends no session.
    const covered =
      revocation.kind === 'user' ? 'sub = $1 and ($7::text is null or sid <> $7::text)' : 'false';
    const [row] = await this.sql.query<{ ended: string[] }>(
      `with ended as (
         update ioauth_sessions set revoked_at = $3, revoked_reason = $2
          where ${covered} and revoked_at is null
         returning sid
       ), recorded as (
         insert into ioauth_revocations (kind, sid, sub, reason, revoked_at, keep_until, except_sid, scopes, roles)
         values ($6, $5::text, $1, $2, $3, $4, $7::text, $8::text[], $9::text[])
       )
       select coalesce(array_agg(sid order by sid), '{}') as ended from ended`,
      [
        revocation.sub,
        revocation.reason,
        new Date(revocation.at),
        keepUntil,
        null,
        revocation.kind,
        revocation.kind === 'user' ? (revocation.exceptSid ?? null) : null,
        revocation.kind === 'grants' ? revocation.scopes : null,
        revocation.kind === 'grants' ? revocation.roles : null,
      ],
    );
    return row?.ended ?? [];
  }

  async readSince(since: Date | undefined): Promise<RevocationPage> {
    const [clock] = await this.sql.query<{ now: Date }>('select statement_timestamp() as now');
    const position = (clock as { now: Date }).now;
    const rows = await this.sql.query<RevocationRow>(
      // The sessions a user revocation ended carry its reason and moment (the same statement wrote both).
      `select kind, sid, except_sid, scopes, roles, sub, reason, revoked_at,
              case when kind = 'user' then array(
                select s.sid from ioauth_sessions s
                 where s.sub = r.sub and s.revoked_at = r.revoked_at and s.revoked_reason = r.reason
              ) end as sids
         from ioauth_revocations r
        where keep_until > $1
          and ($2::timestamptz is null or recorded_at > $2::timestamptz - interval '${READ_OVERLAP}')
        order by recorded_at`,
      [position, since ?? null],
    );
    return { revocations: rows.map(toRevocation), position };
  }

  /** Deletes up to `limit` revocations no token can be refused by any more; returns how many. */
  async purgeExpired(before: Date, limit: number): Promise<number> {
    const rows = await this.sql.query(
      `delete from ioauth_revocations where id in (
         select id from ioauth_revocations where keep_until < $1 limit $2
       ) returning id`,
      [before, limit],
    );
    return rows.length;
  }
}
