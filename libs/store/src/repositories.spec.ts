import type { Revocation } from '@ioauth/auth-core';
import { TEST_POSTGRES_URL } from '@ioauth/test-support';

import { PostgresSqlClient } from './sql/postgres.client.js';
import { migrate, MIGRATIONS } from './sql/migrations.js';
import type { SqlClient } from './sql/sql-client.js';
import { SqlRevocationLog } from './revocations/sql-revocation-log.js';
import { SqlSessionRepository } from './sessions/sql-session.repository.js';
import { testDatabases } from './testing/test-databases.js';
import { SqlUserRepository } from './users/sql-user.repository.js';
import { DuplicateUserError } from './users/user.js';

const databases = await testDatabases();
const T0 = new Date('2026-11-24T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;

describe.each(databases.map((database) => [database.name, database] as const))(
  'repositories on %s',
  (_name, database) => {
    let client: SqlClient;
    let drop: () => Promise<void>;
    let users: SqlUserRepository;
    let sessions: SqlSessionRepository;
    let log: SqlRevocationLog;

    beforeAll(async () => {
      ({ client, drop } = await database.open());
      await migrate(client);
      users = new SqlUserRepository(client);
      sessions = new SqlSessionRepository(client);
      log = new SqlRevocationLog(client);
    }, 30_000);
    afterAll(() => drop());
    beforeEach(async () => {
      await client.query('delete from ioauth_users');
      // Sessions no longer go with their user's row (they refer to a subject): each case starts without any.
      await client.query('delete from ioauth_sessions');
      await client.query('delete from ioauth_revocations');
      await users.create(
        {
          username: 'alice',
          passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
          scopes: ['chat:read', 'chat:write'],
          roles: [],
        },
        T0,
      );
    });

    const open = (sid: string, token = `${sid}-r1`, absoluteExpiresAt = at(30 * 24 * HOUR)) =>
      sessions.createSession({
        sid,
        sub: 'alice',
        refreshTokenHash: token,
        now: T0,
        expiresAt: at(HOUR),
        absoluteExpiresAt,
      });
    const rotate = (token: string, next: string, seconds = 60) =>
      sessions.rotateRefreshToken({
        refreshTokenHash: token,
        nextRefreshTokenHash: next,
        now: at(seconds),
        expiresAt: at(seconds + HOUR),
      });

    describe('migrations', () => {
      it('apply once: a second run has nothing left to do', async () => {
        expect(await migrate(client)).toBe(0);
        const [row] = await client.query<{ version: number }>(
          'select max(version)::int as version from ioauth_migrations',
        );
        expect(row?.version).toBe(MIGRATIONS.length);
      });
    });

    describe('users', () => {
      it('stores a user with scopes and roles, and finds it by name', async () => {
        await users.create({ username: 'admin', passwordHash: 'hash', roles: ['admin'] }, T0);
        expect(await users.findByUsername('admin')).toEqual({
          username: 'admin',
          passwordHash: 'hash',
          scopes: [],
          roles: ['admin'],
          disabled: false,
          createdAt: T0,
          updatedAt: T0,
        });
        expect(await users.findByUsername('nobody')).toBeUndefined();
      });

      it('refuses a taken username and changes nothing', async () => {
        await expect(
          users.create({ username: 'alice', passwordHash: 'other' }, at(1)),
        ).rejects.toBeInstanceOf(DuplicateUserError);
        expect((await users.findByUsername('alice'))?.passwordHash).toMatch(/^\$argon2id\$/);
      });

      it('lists users by name, disables and removes them', async () => {
        await users.create({ username: 'bob', passwordHash: 'h', scopes: ['chat:read'] }, T0);
        expect((await users.list()).map((user) => user.username)).toEqual(['alice', 'bob']);
        expect(await users.setDisabled('bob', true, at(5))).toBe(true);
        expect(await users.findByUsername('bob')).toMatchObject({ disabled: true, updatedAt: at(5) });
        expect(await users.setDisabled('nobody', true, at(5))).toBe(false);
        expect(await users.remove('bob')).toBe(true);
        expect(await users.remove('bob')).toBe(false);
      });

      it('updates grants, the disabled flag and the password hash in one step, and returns the user before and after', async () => {
        const changed = await users.update('alice', { scopes: ['chat:read'], roles: ['admin'] }, at(7));
        expect(changed?.before).toMatchObject({
          scopes: ['chat:read', 'chat:write'],
          roles: [],
          updatedAt: T0,
        });
        expect(changed?.after).toMatchObject({ scopes: ['chat:read'], roles: ['admin'], updatedAt: at(7) });
        const password = await users.update('alice', { passwordHash: 'h2', disabled: true }, at(8));
        expect(password?.after).toMatchObject({ passwordHash: 'h2', disabled: true, scopes: ['chat:read'] });
        expect(password?.before).toMatchObject({
          passwordHash: expect.stringMatching(/^\$argon2id/),
          disabled: false,
        });
        expect(await users.update('nobody', { disabled: true }, at(9))).toBeUndefined();
      });

      it('serialises concurrent updates of one user: each sees the previous one as its before', async () => {
        const results = await Promise.all([
          users.update('alice', { scopes: ['a'] }, at(1)),
          users.update('alice', { scopes: ['b'] }, at(2)),
        ]);
        const befores = results.map((result) => result?.before.scopes.join());
        const afters = results.map((result) => result?.after.scopes.join());
        expect(befores).toContain('chat:read,chat:write');
        expect(befores.filter((before) => afters.includes(before as string))).toHaveLength(1);
      });

      it("keeps a removed user's sessions, which revocation ends and the purge deletes", async () => {
        await open('s-remove');
        await users.remove('alice');
        expect(await sessions.findSession('s-remove')).toMatchObject({ sid: 's-remove', sub: 'alice' });
      });
    });

    describe('sessions', () => {
      it('rotates a refresh token: the old one is spent, the next one works', async () => {
        await open('s1');
        const first = await rotate('s1-r1', 's1-r2');
        expect(first).toMatchObject({
          status: 'rotated',
          session: { sid: 's1', sub: 'alice', expiresAt: at(60 + HOUR) },
        });
        expect(await rotate('s1-r2', 's1-r3', 120)).toMatchObject({ status: 'rotated' });
      });

      it('revokes the whole session when a spent refresh token comes back', async () => {
        await open('s2');
        await rotate('s2-r1', 's2-r2');
        const reuse = await rotate('s2-r1', 's2-rX', 90);
        expect(reuse).toMatchObject({
          status: 'reused',
          session: { sid: 's2', revokedAt: at(90), revokedReason: 'refresh_token_reused' },
        });
        expect(await rotate('s2-r2', 's2-r3', 100)).toMatchObject({ status: 'revoked' });
      });

      it('lets at most one of two concurrent uses of one refresh token win', async () => {
        await open('s3');
        const outcomes = await Promise.all([rotate('s3-r1', 's3-a'), rotate('s3-r1', 's3-b')]);
        expect(outcomes.filter((outcome) => outcome.status === 'rotated')).toHaveLength(1);
        expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['reused', 'rotated']);
        expect((await sessions.findSession('s3'))?.revokedReason).toBe('refresh_token_reused');
      });

      it('tells unknown and expired refresh tokens apart, and rotates neither', async () => {
        await open('s4');
        expect(await rotate('never-issued', 'x')).toEqual({ status: 'unknown' });
        expect(await rotate('s4-r1', 's4-r2', HOUR)).toEqual({ status: 'expired' });
        expect(await rotate('s4-r2', 's4-r3', 10)).toEqual({ status: 'unknown' });
      });

      it('never extends a session past its absolute end, however often it is refreshed', async () => {
        await open('s-abs', 's-abs-r1', at(HOUR + 1800));
        const first = await rotate('s-abs-r1', 's-abs-r2', 2000);
        expect(first).toMatchObject({ status: 'rotated', session: { expiresAt: at(HOUR + 1800) } });
        expect(await rotate('s-abs-r2', 's-abs-r3', HOUR + 1799)).toMatchObject({
          status: 'rotated',
          session: { expiresAt: at(HOUR + 1800) },
        });
        expect(await rotate('s-abs-r3', 's-abs-r4', HOUR + 1800)).toEqual({ status: 'expired' });
      });

      it('records a session revocation with the end of that session only, once', async () => {
        await open('s5');
        await open('s6');
        const revocation = {
          kind: 'session',
          sid: 's5',
          sub: 'alice',
          reason: 'logout',
          at: at(10).getTime(),
        } as const;
        expect(await log.record(revocation, at(HOUR))).toEqual(['s5']);
        expect(await log.record(revocation, at(HOUR))).toEqual([]);
        expect(await rotate('s5-r1', 's5-r2', 30)).toMatchObject({ status: 'revoked' });
        expect(await rotate('s6-r1', 's6-r2', 30)).toMatchObject({ status: 'rotated' });
        expect((await sessions.findSession('s5'))?.revokedReason).toBe('logout');
      });

      it('records a user revocation with the end of every live session of that user', async () => {
        await open('s6');
        await open('s7');
        const kick = { kind: 'user', sub: 'alice', reason: 'admin_kick', at: at(20).getTime() } as const;
        expect(await log.record(kick, at(HOUR))).toEqual(['s6', 's7']);
        expect(await rotate('s6-r1', 's6-r2', 30)).toMatchObject({ status: 'revoked' });
        expect(await rotate('s7-r1', 's7-r2', 30)).toMatchObject({ status: 'revoked' });
      });

      it('records a login device and address, lists the live sessions by last use, and bumps last use at refresh', async () => {
        await sessions.createSession({
          sid: 'd1',
          sub: 'alice',
          refreshTokenHash: 'd1-r1',
          now: T0,
          expiresAt: at(HOUR),
          absoluteExpiresAt: at(2 * HOUR),
          userAgent: `Firefox ${'x'.repeat(1000)}`,
          ip: '203.0.113.7',
        });
        await open('d2');
        await open('d3');
        await log.record(
          { kind: 'session', sid: 'd3', sub: 'alice', reason: 'logout', at: T0.getTime() },
          at(HOUR),
        );
        await rotate('d1-r1', 'd1-r2', 30);
        const live = await sessions.listLiveSessions('alice', at(60));
        expect(live.map((session) => session.sid)).toEqual(['d1', 'd2']);
        expect(live[0]).toMatchObject({ ip: '203.0.113.7', lastUsedAt: at(30), createdAt: T0 });
        expect(live[0]?.userAgent).toHaveLength(256);
        expect(live[1]).not.toHaveProperty('userAgent');
        expect(await sessions.listLiveSessions('alice', at(HOUR + 31))).toEqual([]);
        expect(await sessions.listLiveSessions('bob', at(60))).toEqual([]);
      });

      it('records a user revocation that spares one session, and a grants record that ends none', async () => {
        await open('p1');
        await open('p2');
        const keep = new Date(Date.now() + HOUR * 1000);
        const spare = {
          kind: 'user',
          sub: 'alice',
          reason: 'password_changed',
          at: T0.getTime(),
          exceptSid: 'p1',
        } as const;
        expect(await log.record(spare, keep)).toEqual(['p2']);
        const grants: Revocation = {
          kind: 'grants',
          sub: 'alice',
          reason: 'grants_changed',
          at: T0.getTime(),
          scopes: ['chat:read'],
          roles: [],
        };
        expect(await log.record(grants, keep)).toEqual([]);
        expect((await sessions.listLiveSessions('alice', at(60))).map((session) => session.sid)).toEqual([
          'p1',
        ]);
        expect((await log.readSince(undefined)).revocations).toEqual([{ ...spare, sids: ['p2'] }, grants]);
      });

      it('opens no session when the user was revoked since the password was checked, and one otherwise', async () => {
        await log.record(
          { kind: 'user', sub: 'alice', reason: 'password_changed', at: at(10).getTime() },
          at(HOUR),
        );
        const input = { sub: 'alice', now: at(11), expiresAt: at(HOUR), absoluteExpiresAt: at(HOUR) };
        expect(
          await sessions.createSession({
            ...input,
            sid: 'r1',
            refreshTokenHash: 'r1-r1',
            unlessUserRevokedSince: at(9),
          }),
        ).toBeUndefined();
        expect(await sessions.findSession('r1')).toBeUndefined();
        expect(await sessions.findByRefreshTokenHash('r1-r1')).toBeUndefined();
        expect(
          await sessions.createSession({
            ...input,
            sid: 'r2',
            refreshTokenHash: 'r2-r1',
            unlessUserRevokedSince: at(11),
          }),
        ).toMatchObject({ sid: 'r2' });
      });

      it('keeps revocations after the user and their sessions are gone', async () => {
        await open('s8');
        const keep = new Date(Date.now() + HOUR * 1000);
        await log.record(
          { kind: 'session', sid: 's8', sub: 'alice', reason: 'logout', at: T0.getTime() },
          keep,
        );
        await log.record({ kind: 'user', sub: 'alice', reason: 'user_removed', at: T0.getTime() }, keep);
        await users.remove('alice');
        const { revocations } = await log.readSince(undefined);
        expect(revocations).toEqual(
          expect.arrayContaining([
            { kind: 'session', sid: 's8', sub: 'alice', reason: 'logout', at: T0.getTime() },
            { kind: 'user', sub: 'alice', reason: 'user_removed', at: T0.getTime(), sids: [] },
          ]),
        );
      });

      it('reads revocations incrementally, overlapping the previous read, and forgets expired ones', async () => {
        const keep = new Date(Date.now() + HOUR * 1000);
        await log.record(
          { kind: 'user', sub: 'old', reason: 'admin', at: T0.getTime() },
          new Date(Date.now() - 1),
        );
        await log.record({ kind: 'user', sub: 'u1', reason: 'admin', at: T0.getTime() }, keep);
        const first = await log.readSince(undefined);
        expect(first.revocations.map((revocation) => revocation.sub)).toEqual(['u1']);
        await log.record({ kind: 'user', sub: 'u2', reason: 'admin', at: T0.getTime() }, keep);
        const second = await log.readSince(first.position);
        // u1 again: the overlap re-reads the last seconds, so a late commit is never skipped.
        expect(second.revocations.map((revocation) => revocation.sub)).toEqual(['u1', 'u2']);
        expect(second.position.getTime()).toBeGreaterThanOrEqual(first.position.getTime());
        const later = new Date(second.position.getTime() + 60_000);
        expect((await log.readSince(later)).revocations).toEqual([]);
        expect(await log.purgeExpired(new Date(), 100)).toBe(1);
        expect(await log.purgeExpired(new Date(Date.now() + 2 * HOUR * 1000), 1)).toBe(1);
        expect(await log.purgeExpired(new Date(Date.now() + 2 * HOUR * 1000), 100)).toBe(1);
      });

      it('purges sessions whose last refresh token has expired, and expired refresh tokens, in batches', async () => {
        await open('s8');
        await open('s9');
        await open('s10');
        await rotate('s9-r1', 's9-r2', 600);
        // s8 and s10 with their tokens, and s9's spent first token.
        expect(await sessions.purgeExpired(at(HOUR + 1), 1)).toBe(2);
        expect(await sessions.purgeExpired(at(HOUR + 1), 10)).toBe(2);
        expect(await sessions.purgeExpired(at(HOUR + 1), 10)).toBe(0);
        expect(await sessions.findSession('s8')).toBeUndefined();
        expect(await sessions.findSession('s9')).toBeDefined();
        expect(await rotate('s9-r2', 's9-r3', 700)).toMatchObject({ status: 'rotated' });
      });
    });

    if (database.name === 'PostgreSQL') {
      it('migrates safely from several processes at once', async () => {
        const schema = `ioauth_test_race_${Date.now().toString(36)}`;
        const clients = await Promise.all(
          [1, 2, 3].map(() => PostgresSqlClient.connect(TEST_POSTGRES_URL, { schema })),
        );
        try {
          const applied = await Promise.all(clients.map((each) => migrate(each)));
          expect(applied.sort()).toEqual([0, 0, MIGRATIONS.length]);
        } finally {
          await clients[0]?.query(`drop schema ${schema} cascade`);
          await Promise.all(clients.map((each) => each.close()));
        }
      });
    }
  },
);
