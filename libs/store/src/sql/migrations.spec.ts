import { SqlSessionRepository } from '../sessions/sql-session.repository.js';
import { testDatabases } from '../testing/test-databases.js';
import { SqlUserRepository } from '../users/sql-user.repository.js';
import { migrate, MIGRATIONS } from './migrations.js';
import type { SqlClient } from './sql-client.js';

const databases = await testDatabases();
const T0 = new Date('2026-11-24T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
// The schema of the release before sessions referred to a subject rather than to a users row.
const BEFORE_SUBJECTS = MIGRATIONS.slice(0, 3);

describe.each(databases.map((database) => [database.name, database] as const))(
  'migrations on %s',
  (_name, database) => {
    let client: SqlClient;
    let drop: () => Promise<void>;

    beforeEach(async () => {
      ({ client, drop } = await database.open());
    }, 30_000);
    afterEach(() => drop());

    const foreignKeysToUsers = async () =>
      (
        await client.query<{ count: number }>(
          `select count(*)::int as count from pg_constraint
          where contype = 'f' and conrelid = 'ioauth_sessions'::regclass and confrelid = 'ioauth_users'::regclass`,
        )
      )[0]?.count;
    const open = (sessions: SqlSessionRepository, sid: string, sub: string) =>
      sessions.createSession({
        sid,
        sub,
        refreshTokenHash: `${sid}-r1`,
        now: T0,
        expiresAt: at(3600),
        absoluteExpiresAt: at(7200),
      });

    it('lets a session belong to a subject that has no row in ioauth_users, and refresh', async () => {
      await migrate(client);
      const sessions = new SqlSessionRepository(client);
      await open(sessions, 's-ldap', 'ldap:u-42');
      expect(
        await sessions.rotateRefreshToken({
          refreshTokenHash: 's-ldap-r1',
          nextRefreshTokenHash: 's-ldap-r2',
          now: at(60),
          expiresAt: at(3660),
        }),
      ).toMatchObject({ status: 'rotated', session: { sid: 's-ldap', sub: 'ldap:u-42' } });
    });

    it('drops the foreign key of an existing database and keeps its sessions, which outlive a removed user', async () => {
      await migrate(client, BEFORE_SUBJECTS);
      expect(await foreignKeysToUsers()).toBe(1);
      const users = new SqlUserRepository(client);
      const sessions = new SqlSessionRepository(client);
      await users.create({ username: 'alice', passwordHash: 'x' }, T0);
      // A row as that release wrote it: today's repository writes columns it did not have.
      await client.query(
        `insert into ioauth_sessions (sid, sub, created_at, expires_at, absolute_expires_at)
         values ('s-alice', 'alice', $1, $2, $3)`,
        [T0, at(3600), at(7200)],
      );

      expect(await migrate(client)).toBe(MIGRATIONS.length - BEFORE_SUBJECTS.length);

      expect(await foreignKeysToUsers()).toBe(0);
      expect(await users.remove('alice')).toBe(true);
      expect(await sessions.findSession('s-alice')).toMatchObject({
        sid: 's-alice',
        sub: 'alice',
        lastUsedAt: T0,
      });
    });
  },
);
