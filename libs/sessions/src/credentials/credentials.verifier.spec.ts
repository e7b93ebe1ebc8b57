import { RateLimitedError } from '@ioauth/auth-core';

import { setup, TeamDirectory } from '../testing/sessions.setup.js';

const outcome = (verifying: Promise<unknown>) =>
  verifying.then(
    () => 'verified',
    (error: { code?: string }) => error.code,
  );

describe('CredentialsVerifier.verify over ioauth users table', () => {
  let context: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    context = await setup({ loginUserLimit: 3 });
    await context.addUser('alice', 'alice-password', { scopes: ['chat:read'], roles: ['reader'] });
    await context.addUser('carol', 'carol-password');
    await context.addUser('zoe', 'zoe-password');
    await context.users.setDisabled('carol', true, new Date());
  }, 60_000);
  afterAll(() => context.close());

  it('returns the user, subject and grants, whatever the case of the username', async () => {
    expect(await context.verifier.verify('ALICE', 'alice-password')).toEqual({
      sub: 'alice',
      scopes: ['chat:read'],
      roles: ['reader'],
      disabled: false,
    });
  });

  it.each([
    ['a wrong password', 'alice', 'not-her-password'],
    ['an unknown user', 'mallory', 'alice-password'],
    ['a disabled user with the right password', 'carol', 'carol-password'],
    ['a username no user can have', 'tab\there', 'alice-password'],
  ])('refuses %s with invalid_credentials', async (_case, username, password) => {
    context.events.length = 0;
    await expect(context.verifier.verify(username, password)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(context.events).toEqual([
      {
        type: 'login.failed',
        ...(username.includes('\t') ? {} : { username }),
        reason: 'invalid_credentials',
      },
    ]);
  });

  it('forgets the failures of a username at a success, so a user never locks themselves out', async () => {
    for (let round = 0; round < 3; round += 1) {
      await expect(context.verifier.verify('zoe', 'typo')).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      await expect(context.verifier.verify('zoe', 'typo')).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      await expect(context.verifier.verify('Zoe', 'zoe-password')).resolves.toMatchObject({
        sub: 'zoe',
      });
    }
  });
});

describe("CredentialsVerifier.verify over a team's own directory", () => {
  let context: Awaited<ReturnType<typeof setup>>;
  const directory = new TeamDirectory();

  beforeAll(async () => {
    context = await setup({ users: directory, loginUserLimit: 10 });
    directory.add({
      username: 'émile',
      password: 'pw-émile',
      sub: 'u-42',
      tenant: 'acme',
      scopes: [],
      roles: [],
    });
    directory.add({ username: 'bob', password: 'pw-bob', sub: 'u-7', tenant: 'acme', scopes: [], roles: [] });
    await context.addUser('alice', 'alice-password');
  }, 60_000);
  afterAll(() => context.close());
  beforeEach(() => {
    directory.asked.length = 0;
  });

  it('asks the directory, not the store, with the username normalised, and returns its user as is', async () => {
    const user = await context.verifier.verify('E\u0301MILE', 'pw-émile');
    expect(user).toBe(directory.users.get('émile'));
    expect(directory.asked).toEqual(['émile']);
    await expect(context.verifier.verify('alice', 'alice-password')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('refuses a user the directory marks disabled, even with the right password', async () => {
    directory.add({
      username: 'dora',
      password: 'pw-dora',
      sub: 'u-9',
      tenant: 'acme',
      scopes: [],
      roles: [],
      disabled: true,
    });
    await expect(context.verifier.verify('dora', 'pw-dora')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('refuses a username no user can have without asking the directory', async () => {
    await expect(context.verifier.verify('x'.repeat(129), 'pw')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(directory.asked).toEqual([]);
  });

  it('lets at most the limit of attempts made at once reach the directory, then refuses even the right password', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => outcome(context.verifier.verify('bob', 'wrong'))),
    );
    expect(outcomes.filter((code) => code === 'invalid_credentials')).toHaveLength(10);
    expect(outcomes.filter((code) => code === 'rate_limited')).toHaveLength(20);
    expect(directory.asked).toHaveLength(10);
    await expect(context.verifier.verify('bob', 'pw-bob')).rejects.toBeInstanceOf(RateLimitedError);
    expect(context.events).toContainEqual({ type: 'login.failed', username: 'bob', reason: 'rate_limited' });
  });
});
