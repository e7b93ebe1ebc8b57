import type { ClaimsContext, ClaimsHook, ExtraClaims } from './claims/claims-hook.js';
import { setup, TeamDirectory, type TeamUser } from './testing/sessions.setup.js';

describe('SessionService over ioauth users table', () => {
  let context: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    context = await setup({ refreshTokenTtl: 3600, sessionMaxAge: 7200 });
    await context.addUser('alice', 'alice-password', { scopes: ['chat:read', 'chat:write'] });
  }, 60_000);
  afterAll(() => context.close());

  const login = async (username = 'alice', password = `${username}-password`) =>
    context.sessions.login(await context.verifier.verify(username, password));
  const claimsOf = (response: { access_token: string }) =>
    context.tokens.verifyAccessToken(response.access_token);
  const revocationReasons = async (sid: string) =>
    (
      await context.sql.query<{ reason: string }>('select reason from ioauth_revocations where sid = $1', [
        sid,
      ])
    ).map((row) => row.reason);

  it('opens a session with an access token naming the user, the session and the grants', async () => {
    const response = await login();
    expect(response).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: 'chat:read chat:write',
    });
    expect(claimsOf(response)).toMatchObject({ sub: 'alice', sid: expect.any(String), roles: [] });
  });

  it('rotates the refresh token in the same session; the spent one coming back revokes the session', async () => {
    const first = await login();
    const second = await context.sessions.refresh(first.refresh_token);
    expect(claimsOf(second).sid).toBe(claimsOf(first).sid);
    await expect(context.sessions.refresh(first.refresh_token)).rejects.toMatchObject({
      code: 'refresh_token_reused',
    });
    await expect(context.sessions.refresh(second.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
    expect(context.revocations.isRevoked(claimsOf(second))).toBe(true);
    expect(await revocationReasons(claimsOf(first).sid)).toEqual(['refresh_token_reused']);
  });

  it('tells each step as an event naming the user and the session, never a token', async () => {
    context.events.length = 0;
    const first = await login();
    const { sid } = claimsOf(first);
    const second = await context.sessions.refresh(first.refresh_token);
    await expect(context.sessions.refresh(first.refresh_token)).rejects.toThrow();
    await expect(context.sessions.refresh(second.refresh_token)).rejects.toThrow();
    await expect(context.sessions.refresh('A'.repeat(43))).rejects.toThrow();
    expect(context.events).toEqual([
      { type: 'login.succeeded', sub: 'alice', sid },
      { type: 'token.refreshed', sub: 'alice', sid },
      { type: 'refresh.reused', sub: 'alice', sid },
      { type: 'session.revoked', sub: 'alice', sid, reason: 'refresh_token_reused' },
      { type: 'refresh.failed', reason: 'token_revoked' },
      { type: 'refresh.failed', reason: 'invalid_token' },
    ]);
  });

  it.each([
    ['removed', (username: string) => context.users.remove(username)],
    ['disabled', (username: string) => context.users.setDisabled(username, true, new Date())],
  ])('ends the session at its next refresh once the user is %s', async (state, change) => {
    const username = `user-${state}`;
    await context.addUser(username, `${username}-password`);
    const response = await login(username);
    await change(username);
    await expect(context.sessions.refresh(response.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
    expect(context.revocations.isRevoked(claimsOf(response))).toBe(true);
    expect(await revocationReasons(claimsOf(response).sid)).toEqual(['user_gone']);
  });

  it('logs out: the refresh token and the access token of the session are refused', async () => {
    const response = await login();
    await context.sessions.logout(claimsOf(response));
    expect(context.revocations.isRevoked(claimsOf(response))).toBe(true);
    await expect(context.sessions.refresh(response.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
    expect(await revocationReasons(claimsOf(response).sid)).toEqual(['logout']);
  });

  it('revokes the session of a spent refresh token (RFC 7009), and answers an unknown or malformed one alike', async () => {
    const first = await login();
    const second = await context.sessions.refresh(first.refresh_token);
    await context.sessions.revokeRefreshToken(first.refresh_token);
    await expect(context.sessions.refresh(second.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
    await expect(context.sessions.revokeRefreshToken('A'.repeat(43))).resolves.toBeUndefined();
    await expect(context.sessions.revokeRefreshToken('not a refresh token')).resolves.toBeUndefined();
  });

  it('never refreshes a session past its absolute end (`sessionMaxAge`)', async () => {
    let response = await login();
    context.clock.time += 3000_000;
    response = await context.sessions.refresh(response.refresh_token);
    context.clock.time += 3000_000;
    response = await context.sessions.refresh(response.refresh_token);
    context.clock.time += 1201_000;
    await expect(context.sessions.refresh(response.refresh_token)).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it('says when each refresh token expires: its lifetime, then no later than the absolute end of its session', async () => {
    const start = context.clock.time;
    const opened = await context.sessions.openSession(
      await context.verifier.verify('alice', 'alice-password'),
    );
    expect(opened.refreshExpiresAt).toEqual(new Date(start + 3600_000));
    context.clock.time += 3000_000;
    const rotated = await context.sessions.rotateSession(opened.tokens.refresh_token);
    expect(rotated.refreshExpiresAt).toEqual(new Date(start + 6600_000));
    context.clock.time += 3000_000;
    const last = await context.sessions.rotateSession(rotated.tokens.refresh_token);
    expect(last.refreshExpiresAt).toEqual(new Date(start + 7200_000));
  });

  it('revokes every session of a user, and says how many were live', async () => {
    await context.addUser('kim', 'kim-password');
    const sessions = [await login('kim'), await login('kim')];
    expect(await context.sessions.revokeUser('kim', 'admin_kick')).toBe(2);
    for (const response of sessions) {
      expect(context.revocations.isRevoked(claimsOf(response))).toBe(true);
      await expect(context.sessions.refresh(response.refresh_token)).rejects.toMatchObject({
        code: 'token_revoked',
      });
    }
  });
});

describe("SessionService over a team's own directory, with a claims hook", () => {
  let context: Awaited<ReturnType<typeof setup>>;
  const directory = new TeamDirectory();
  const calls: ClaimsContext[] = [];
  let extra: (user: TeamUser, context: ClaimsContext) => ExtraClaims = () => ({});
  // Typed for the directory's own user: the `claims` option takes it as it is.
  const claims: ClaimsHook<TeamUser> = async (user, claimsContext) => {
    calls.push(claimsContext);
    return { tenant: user.tenant, ...extra(user, claimsContext) };
  };

  beforeAll(async () => {
    context = await setup({ users: directory, claims });
  }, 60_000);
  afterAll(() => context.close());
  beforeEach(() => {
    calls.length = 0;
    extra = () => ({});
    directory.add({
      username: 'émile',
      password: 'pw',
      sub: 'u-42',
      tenant: 'acme',
      scopes: ['orders:read'],
      roles: [],
    });
  });

  const login = async () => context.sessions.login(await context.verifier.verify('émile', 'pw'));
  const claimsOf = (response: { access_token: string }) =>
    context.tokens.verifyAccessToken(response.access_token);
  const sessionCount = async () =>
    (await context.sql.query<{ count: number }>('select count(*)::int as count from ioauth_sessions'))[0]
      ?.count;

  it("keeps sessions of a subject that has no row in ioauth's users table, and refreshes them", async () => {
    const response = await login();
    expect(claimsOf(response)).toMatchObject({ sub: 'u-42' });
    const refreshed = await context.sessions.refresh(response.refresh_token);
    expect(claimsOf(refreshed)).toMatchObject({ sub: 'u-42', sid: claimsOf(response).sid });
  });

  it("adds the hook's claims at login and at refresh, with the user's current grants and claims", async () => {
    const response = await login();
    const { sid } = claimsOf(response);
    expect(claimsOf(response)).toMatchObject({ tenant: 'acme', scope: 'orders:read' });
    directory.add({
      username: 'émile',
      password: 'pw',
      sub: 'u-42',
      tenant: 'globex',
      scopes: ['orders:read', 'orders:write'],
      roles: ['buyer'],
    });
    const refreshed = await context.sessions.refresh(response.refresh_token);
    expect(claimsOf(refreshed)).toMatchObject({
      tenant: 'globex',
      scope: 'orders:read orders:write',
      roles: ['buyer'],
    });
    expect(calls).toEqual([
      { sid, grant: 'login' },
      { sid, grant: 'refresh' },
    ]);
  });

  it('refuses a registered claim from the hook at login, and opens no session', async () => {
    extra = () => ({ sub: 'admin' });
    const before = await sessionCount();
    await expect(login()).rejects.toBeInstanceOf(TypeError);
    expect(await sessionCount()).toBe(before);
  });

  it('refuses a registered claim from the hook at refresh rather than minting it', async () => {
    const response = await login();
    extra = (_user, { grant }) => (grant === 'refresh' ? { roles: ['admin'] } : {});
    await expect(context.sessions.refresh(response.refresh_token)).rejects.toBeInstanceOf(TypeError);
  });

  it('ends the session at its next refresh once the directory no longer knows the user', async () => {
    const response = await login();
    directory.users.delete('émile');
    await expect(context.sessions.refresh(response.refresh_token)).rejects.toMatchObject({
      code: 'token_revoked',
    });
  });
});
