import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { IOAUTH_CLOCK } from '@ioauth/auth-core';
import {
  migrate,
  PasswordHasher,
  PasswordPolicy,
  PgliteSqlClient,
  SqlUserRepository,
  IOAUTH_SQL,
  type SqlClient,
} from '@ioauth/store';

import { DEMO_MODE, DEMO_USERS, DemoUsersSeeder } from './demo-users.seeder.js';

const NOW = Date.UTC(2026, 0, 1);

describe('DemoUsersSeeder', () => {
  let sql: SqlClient;
  let users: SqlUserRepository;
  let warnings: string[];

  // One embedded database (it takes seconds to open), emptied before each case.
  beforeAll(async () => {
    sql = await PgliteSqlClient.open('memory://');
    await migrate(sql);
    users = new SqlUserRepository(sql);
  }, 60_000);
  afterAll(() => sql.close());
  beforeEach(async () => {
    await sql.query('delete from ioauth_users');
    await sql.query('delete from ioauth_markers');
    warnings = [];
  });
  const quiet = () => undefined;
  const capture = { log: quiet, error: quiet, warn: (message: unknown) => warnings.push(String(message)) };

  /** A seeder as a fresh start of the server would run it, on the same database. */
  const start = async (demo = true) => {
    const module = await Test.createTestingModule({
      providers: [
        DemoUsersSeeder,
        PasswordHasher,
        { provide: DEMO_MODE, useValue: demo },
        { provide: IOAUTH_SQL, useValue: sql },
        { provide: IOAUTH_CLOCK, useValue: { now: () => NOW } },
      ],
    }).compile();
    // After compile, which installs the testing module's own logger.
    Logger.overrideLogger(capture);
    await module.get(DemoUsersSeeder).onApplicationBootstrap();
  };
  const usernames = async () => (await users.list()).map((user) => user.username);

  it('adds the demo users on the first start in demo mode, with their documented passwords, and warns', async () => {
    await start();
    expect(await usernames()).toEqual(['admin', 'alice', 'bob']);
    const alice = await users.findByUsername('alice');
    expect(await new PasswordHasher().verify(alice?.passwordHash ?? '', 'alice-password')).toBe(true);
    expect(alice).toMatchObject({ scopes: ['chat:read', 'chat:write'], createdAt: new Date(NOW) });
    expect(warnings).toEqual([expect.stringContaining('demo mode')]);
  });

  it('never re-creates a demo user removed after the first start, and still warns', async () => {
    await start();
    await users.remove('alice');
    await start();
    expect(await usernames()).toEqual(['admin', 'bob']);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('demo mode');
  });

  it('leaves a user made before demo mode was turned on as it was', async () => {
    await users.create(
      { username: 'bob', passwordHash: 'operator-hash', scopes: [], roles: [] },
      new Date(NOW),
    );
    await start();
    expect(await usernames()).toEqual(['admin', 'alice', 'bob']);
    expect((await users.findByUsername('bob'))?.passwordHash).toBe('operator-hash');
  });

  it('adds nothing, and says nothing, outside demo mode, and seeds later when demo mode is turned on', async () => {
    await start(false);
    expect(await usernames()).toEqual([]);
    expect(warnings).toEqual([]);
    await start(true);
    expect(await usernames()).toEqual(['admin', 'alice', 'bob']);
  });

  it('seeds once when two processes start at the same moment', async () => {
    await Promise.all([start(), start()]);
    expect(await usernames()).toEqual(['admin', 'alice', 'bob']);
    const [{ count }] = (await sql.query<{ count: number }>(
      "select count(*)::int as count from ioauth_markers where name = 'demo-users-seeded'",
    )) as [{ count: number }];
    expect(count).toBe(1);
  });

  it('has demo passwords that the password policy accepts', () => {
    const policy = new PasswordPolicy({ passwordMinLength: 8 });
    for (const { password } of DEMO_USERS) expect(policy.weakness(password)).toBeUndefined();
  });
});
