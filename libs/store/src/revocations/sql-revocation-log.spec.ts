import type { Revocation } from '@ioauth/auth-core';

import { migrate } from '../sql/migrations.js';
import type { SqlClient } from '../sql/sql-client.js';
import { testDatabases } from '../testing/test-databases.js';
import { SqlRevocationLog } from './sql-revocation-log.js';

const databases = await testDatabases();
const T0 = new Date('2026-11-24T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
// Kept far beyond the real clock, which readSince compares with.
const KEEP = new Date('2100-01-01T00:00:00Z');

/** Counts the statements that reach the database, and fails those `fail` picks. */
function watched(sql: SqlClient, fail: (text: string) => boolean = () => false) {
  const counts = { statements: 0, active: 0, mostActive: 0 };
  const client: SqlClient = {
    query: async <Row extends object>(text: string, params?: readonly unknown[]) => {
      counts.statements += 1;
      counts.active += 1;
      counts.mostActive = Math.max(counts.mostActive, counts.active);
      try {
        if (fail(text)) throw new Error('injected failure');
        return await sql.query<Row>(text, params);
      } finally {
        counts.active -= 1;
      }
    },
    transaction: (work) => sql.transaction(work),
    close: () => sql.close(),
  };
  return { client, counts };
}

const session = (sid: string, sub = 'alice', seconds = 10): Revocation => ({
  kind: 'session',
  sid,
  sub,
  reason: 'logout',
  at: at(seconds).getTime(),
});

describe.each(databases.map((database) => [database.name, database] as const))(
  'SqlRevocationLog group commit on %s',
  (_name, database) => {
    let sql: SqlClient;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      ({ client: sql, drop } = await database.open());
      await migrate(sql);
    }, 30_000);
    afterAll(() => drop());
    beforeEach(async () => {
      await sql.query('delete from ioauth_sessions');
      await sql.query('delete from ioauth_revocations');
    });

    /** Live sessions `${prefix}0`… of `sub`, written in one statement. */
    const openSessions = (prefix: string, count: number, sub = 'alice') =>
      sql.query(
        `insert into ioauth_sessions (sid, sub, created_at, expires_at, absolute_expires_at, last_used_at)
         select $1 || i, $2, $3, $4, $4, $3 from generate_series(0, $5 - 1) as i`,
        [prefix, sub, T0, at(7200), count],
      );
    const revokedCount = async () =>
      Number(
        (
          await sql.query<{ n: number }>(
            `select count(*)::int as n from ioauth_sessions where revoked_at is not null`,
          )
        )[0]?.n,
      );

    it('records 2,000 concurrent session revocations in a few statements, each caller with its own ended sid', async () => {
      // Sessions s0…s999 exist; s1000…s1999 are unknown and end nothing.
      await openSessions('s', 1000);
      const { client, counts } = watched(sql);
      const log = new SqlRevocationLog(client);
      const sids = Array.from({ length: 2000 }, (_, i) => `s${i}`);
      const ended = await Promise.all(sids.map((sid) => log.record(session(sid), KEEP)));
      expect(ended).toEqual(sids.map((sid, i) => (i < 1000 ? [sid] : [])));
      expect(counts.statements).toBeLessThanOrEqual(8);
      expect(counts.mostActive).toBeLessThanOrEqual(2);
      expect(await revokedCount()).toBe(1000);
      const [row] = await sql.query<{ reason: string; revoked_at: Date }>(
        `select revoked_reason as reason, revoked_at from ioauth_sessions where sid = 's7'`,
      );
      expect(row).toEqual({ reason: 'logout', revoked_at: at(10) });
      const { revocations } = await log.readSince(undefined);
      expect(revocations).toHaveLength(2000);
      expect(new Set(revocations.map((revocation) => (revocation as { sid: string }).sid))).toEqual(
        new Set(sids),
      );
      expect(revocations).toContainEqual(session('s0'));
    }, 60_000);

    it('records two revocations of one sid in one batch, and only the first reports the session ended', async () => {
      await openSessions('d', 1);
      const log = new SqlRevocationLog(sql);
      const first = { ...session('d0', 'alice', 10), reason: 'logout' };
      const second = { ...session('d0', 'alice', 20), reason: 'admin' };
      expect(await Promise.all([log.record(first, KEEP), log.record(second, KEEP)])).toEqual([['d0'], []]);
      // The session carries the first revocation, as two calls one after the other would leave it.
      expect(
        await sql.query(`select revoked_reason as reason, revoked_at from ioauth_sessions where sid = 'd0'`),
      ).toEqual([{ reason: 'logout', revoked_at: at(10) }]);
      expect((await log.readSince(undefined)).revocations).toEqual([first, second]);
    });

    it('ends a session only for its own subject', async () => {
      await openSessions('o', 1, 'alice');
      const log = new SqlRevocationLog(sql);
      expect(
        await Promise.all([log.record(session('o0', 'mallory'), KEEP), log.record(session('o0'), KEEP)]),
      ).toEqual([[], ['o0']]);
    });

    it('records session and user revocations arriving together', async () => {
      await openSessions('a', 50, 'alice');
      await openSessions('b', 5, 'bob');
      const log = new SqlRevocationLog(sql);
      const user: Revocation = { kind: 'user', sub: 'bob', reason: 'disabled', at: at(30).getTime() };
      const grants: Revocation = {
        kind: 'grants',
        sub: 'carol',
        reason: 'grants',
        at: at(30).getTime(),
        scopes: ['chat:read'],
        roles: [],
      };
      const results = await Promise.all([
        ...Array.from({ length: 50 }, (_, i) => log.record(session(`a${i}`), KEEP)),
        log.record(user, KEEP),
        log.record(grants, KEEP),
      ]);
      expect(results.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => [`a${i}`]));
      expect(results[50]).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
      expect(results[51]).toEqual([]);
      expect(await revokedCount()).toBe(55);
      const { revocations } = await log.readSince(undefined);
      expect(revocations).toHaveLength(52);
      expect(revocations).toEqual(
        expect.arrayContaining([
          { ...user, sids: ['b0', 'b1', 'b2', 'b3', 'b4'] },
          grants,
          session('a0'),
          session('a49'),
        ]),
      );
    });

    it('rejects the callers of a failed batch only; the others and later ones are recorded', async () => {
      await openSessions('f', 6);
      let failures = 1;
      const { client } = watched(sql, (text) => text.includes('unnest') && failures-- > 0);
      const log = new SqlRevocationLog(client, { maxBatchSize: 2 });
      const outcomes = await Promise.allSettled(
        ['f0', 'f1', 'f2', 'f3'].map((sid) => log.record(session(sid), KEEP)),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'rejected',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect(outcomes[0]).toMatchObject({ reason: new Error('injected failure') });
      expect(await log.record(session('f4'), KEEP)).toEqual(['f4']);
      const { revocations } = await log.readSince(undefined);
      expect(revocations.map((revocation) => (revocation as { sid: string }).sid)).toEqual([
        'f2',
        'f3',
        'f4',
      ]);
      expect(await revokedCount()).toBe(3);
    });
  },
);
