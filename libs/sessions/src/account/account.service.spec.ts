import { setup, TeamDirectory } from '../testing/sessions.setup.js';

describe('AccountService', () => {
  let context: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    context = await setup({ loginUserLimit: 5 });
    await context.addUser('alice', 'alice-password');
    await context.addUser('bob', 'bob-password');
  }, 60_000);
  afterAll(() => context.close());

  const login = async (username: string, password = `${username}-password`) => {
    const response = await context.sessions.login(await context.verifier.verify(username, password), {
      userAgent: `agent of ${username}`,
    });
    return { ...response, claims: context.tokens.verifyAccessToken(response.access_token) };
  };
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'done',
      (error: { code?: string }) => error.code,
    );

  it("lists the caller's live sessions only, and ends one of them, the others going on", async () => {
    const one = await login('alice');
    const two = await login('alice');
    await login('bob');
    const listed = await context.account.liveSessions(one.claims);
    expect(listed.map((session) => session.sid).sort()).toEqual([one.claims.sid, two.claims.sid].sort());
    expect(listed[0]).toMatchObject({ userAgent: 'agent of alice' });
    await context.account.endSession(one.claims, two.claims.sid);
    expect(context.revocations.isRevoked(two.claims)).toBe(true);
    expect(context.revocations.isRevoked(one.claims)).toBe(false);
    await expect(context.sessions.refresh(two.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
  });

  it("answers not_found for another user's session, an unknown one and one already ended, and ends nothing", async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    expect(await code(context.account.endSession(alice.claims, bob.claims.sid))).toBe('not_found');
    expect(await code(context.account.endSession(alice.claims, 'no-such-sid'))).toBe('not_found');
    const other = await login('alice');
    await context.account.endSession(alice.claims, other.claims.sid);
    expect(await code(context.account.endSession(alice.claims, other.claims.sid))).toBe('not_found');
    expect(context.revocations.isRevoked(bob.claims)).toBe(false);
  });

  it('ends every other session of the caller, the current one going on', async () => {
    context.clock.time += 1000;
    const current = await login('alice');
    const other = await login('alice');
    const bob = await login('bob');
    expect(await context.account.endOtherSessions(current.claims)).toBeGreaterThan(0);
    expect(context.revocations.isRevoked(current.claims)).toBe(false);
    expect(context.revocations.isRevoked(other.claims)).toBe(true);
    expect(context.revocations.isRevoked(bob.claims)).toBe(false);
    expect((await context.account.liveSessions(current.claims)).map((session) => session.sid)).toEqual([
      current.claims.sid,
    ]);
    await expect(context.sessions.refresh(current.refresh_token)).resolves.toMatchObject({
      token_type: 'Bearer',
    });
  });

  it('changes the password, ending every other session; the current one refreshes on', async () => {
    context.clock.time += 1000;
    const current = await login('alice');
    const other = await login('alice');
    await context.account.changePassword(current.claims, 'alice-password', 'a new long passphrase');
    expect(context.revocations.isRevoked(other.claims)).toBe(true);
    expect(context.revocations.isRevoked(current.claims)).toBe(false);
    await expect(context.sessions.refresh(other.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
    await expect(context.sessions.refresh(current.refresh_token)).resolves.toMatchObject({
      token_type: 'Bearer',
    });
    await expect(context.verifier.verify('alice', 'a new long passphrase')).resolves.toMatchObject({
      sub: 'alice',
    });
    await context.admin.update('alice', { password: 'alice-password' });
  });

  it('opens no session for a login whose password was checked before the password changed', async () => {
    context.clock.time += 1000;
    const current = await login('alice');
    const checked = await context.verifier.verify('alice', 'alice-password');
    await context.account.changePassword(current.claims, 'alice-password', 'a new long passphrase');
    await expect(context.sessions.login(checked)).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect((await context.account.liveSessions(current.claims)).map((session) => session.sid)).toEqual([
      current.claims.sid,
    ]);
    await context.admin.update('alice', { password: 'alice-password' });
  });

  it.each([
    ['a wrong current password', 'not-her-password', 'another long passphrase', 'invalid_credentials'],
    ['a weak new password, before the current one is checked', 'not-her-password', 'short', 'weak_password'],
    ['a common new password', 'alice-password', 'iloveyou', 'weak_password'],
    ['a new password that is no string', 'alice-password', 42, 'invalid_request'],
  ])('refuses %s and changes nothing', async (_case, current, next, expected) => {
    context.clock.time += 1000;
    const session = await login('alice');
    const other = await login('alice');
    expect(await code(context.account.changePassword(session.claims, current, next))).toBe(expected);
    expect(context.revocations.isRevoked(other.claims)).toBe(false);
    await expect(context.verifier.verify('alice', 'alice-password')).resolves.toMatchObject({ sub: 'alice' });
  });

  it('counts wrong current passwords against the login limit of the username', async () => {
    context.clock.time += 1000;
    const session = await login('bob');
    const outcomes: unknown[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1)
      outcomes.push(
        await code(context.account.changePassword(session.claims, 'guess', 'another long passphrase')),
      );
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('invalid_credentials'));
    expect(outcomes.slice(5)).toEqual(['rate_limited', 'rate_limited']);
  });
});

describe("AccountService over a team's own directory", () => {
  it('refuses a password change: the directory owns the passwords', async () => {
    const directory = new TeamDirectory();
    const context = await setup({ users: directory });
    try {
      await expect(
        context.account.changePassword({ sub: 'u-1', sid: 's' }, 'x', 'a long passphrase'),
      ).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await context.close();
    }
  }, 60_000);
});
