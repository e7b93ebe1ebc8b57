import { migrate } from '../sql/migrations.js';
import type { SqlClient } from '../sql/sql-client.js';
import { testDatabases } from '../testing/test-databases.js';
import { SqlUserRepository } from '../users/sql-user.repository.js';
import { SqlSessionRepository } from './sql-session.repository.js';

const databases = await testDatabases();
const T0 = new Date('2026-11-24T12:00:00Z');
const LATER = new Date(T0.getTime() + 3600_000);

describe.each(databases.map((database) => [database.name, database] as const))(
  'SqlSessionRepository.createSession on %s',
  (_name, database) => {
    let client: SqlClient;
    let drop: () => Promise<void>;
    let sessions: SqlSessionRepository;

    beforeAll(async () => {
      ({ client, drop } = await database.open());
      await migrate(client);
      sessions = new SqlSessionRepository(client);
      await new SqlUserRepository(client).create({ username: 'alice', passwordHash: 'x' }, T0);
    }, 30_000);
    afterAll(() => drop());

    const open = (sid: string, refreshTokenHash: string, sub = 'alice') =>
      sessions.createSession({
        sid,
        sub,
        refreshTokenHash,
        now: T0,
        expiresAt: LATER,
        absoluteExpiresAt: LATER,
      });
    const refreshTokenCount = async (hash: string) =>
      (
        await client.query<{ count: number }>(
          'select count(*)::int as count from ioauth_refresh_tokens where token_hash = $1',
          [hash],
        )
      )[0]?.count;

    it('opens a session with its first refresh token', async () => {
      const session = {
        sid: 's1',
        sub: 'alice',
        createdAt: T0,
        lastUsedAt: T0,
        expiresAt: LATER,
        absoluteExpiresAt: LATER,
      };
      expect(await open('s1', 'h1')).toEqual(session);
      expect(await sessions.findSession('s1')).toEqual(session);
      expect(await refreshTokenCount('h1')).toBe(1);
    });

    it('stores no session when its refresh token cannot be stored', async () => {
      await open('s2', 'h2');
      await expect(open('s3', 'h2')).rejects.toThrow();
      expect(await sessions.findSession('s3')).toBeUndefined();
    });

    it('stores no refresh token when the session cannot be stored', async () => {
      await open('s4', 'h4-first');
      await expect(open('s4', 'h4')).rejects.toThrow();
      expect(await refreshTokenCount('h4')).toBe(0);
    });

    it('finds the session of a refresh token by its hash, live or spent, and nothing for an unknown hash', async () => {
      await open('s5', 'h5');
      await sessions.rotateRefreshToken({
        refreshTokenHash: 'h5',
        nextRefreshTokenHash: 'h6',
        now: T0,
        expiresAt: LATER,
      });
      expect(await sessions.findByRefreshTokenHash('h5')).toMatchObject({ sid: 's5', sub: 'alice' });
      expect(await sessions.findByRefreshTokenHash('h6')).toMatchObject({ sid: 's5', sub: 'alice' });
      expect(await sessions.findByRefreshTokenHash('unknown')).toBeUndefined();
    });
  },
);
