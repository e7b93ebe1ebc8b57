import type { Revocation } from '@ioauth/auth-core';

import type { SqlClient } from '../sql/sql-client.js';

/** A session revocation waiting for its batch, with how long the log keeps it. */
export interface SessionRevocationEntry {
  revocation: Extract<Revocation, { kind: 'session' }>;
  keepUntil: Date;
}

// SQLSTATE 40P01: PostgreSQL chose this statement to break a lock cycle, and rolled it back whole.
const DEADLOCK_DETECTED = '40P01';

/**
 * Per row, what one session revocation's statement does (see `SqlRevocationLog.record`), for every row in one
 * statement, so that the revocations and the end of their sessions commit together.
 *
 * A session is updated once per statement whatever the rows: of several rows for one sid and subject, the first
 * (`distinct on`, by position) ends it, gives it its reason and moment, and alone reports it ended, as the first of
 * two calls one after the other would; every row is recorded. Rows go in sid order so that concurrent batches
 * take their row locks in the same order as far as the plan follows it.
 */
const RECORD_SESSIONS = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
      with ordinality as input (sid, sub, reason, revoked_at, keep_until, position)
  ), first as (
    select distinct on (sid, sub) sid, sub, reason, revoked_at, position
      from input order by sid, sub, position
  ), ended as (
    update ioauth_sessions s set revoked_at = first.revoked_at, revoked_reason = first.reason
      from first
     where s.sid = first.sid and s.sub = first.sub and s.revoked_at is null
    returning first.position
  ), recorded as (
    insert into ioauth_revocations (kind, sid, sub, reason, revoked_at, keep_until)
    select 'session', sid, sub, reason, revoked_at, keep_until from input order by position
  )
  select position::int as position from ended`;

/**
 * Writes a batch of session revocations as one statement and returns, per entry in order, the sids it ended:
 * `[sid]` or `[]`.
 * @throws the database's error, for the whole batch: nothing of it was written.
 */
export async function recordSessionRevocations(
  sql: SqlClient,
  entries: readonly SessionRevocationEntry[],
): Promise<string[][]> {
  const params = [
    entries.map((entry) => entry.revocation.sid),
    entries.map((entry) => entry.revocation.sub),
    entries.map((entry) => entry.revocation.reason),
    entries.map((entry) => new Date(entry.revocation.at)),
    entries.map((entry) => entry.keepUntil),
  ];
  let rows: { position: number }[];
  try {
    rows = await sql.query<{ position: number }>(RECORD_SESSIONS, params);
  } catch (error) {
    // A batch holds many row locks at once where a single revocation held one, so it can meet another batch or a
    // user revocation in a lock cycle; the statement was rolled back whole, and running it again is safe.
    if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED) throw error;
    rows = await sql.query<{ position: number }>(RECORD_SESSIONS, params);
  }
  const ended = new Set(rows.map((row) => row.position));
  // `with ordinality` counts from 1.
  return entries.map((entry, i) => (ended.has(i + 1) ? [entry.revocation.sid] : []));
}
