import { setup } from '../testing/sessions.setup.js';

describe('UserAdminService', () => {
  let context: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    context = await setup();
    await context.addUser('alice', 'alice-password', { scopes: ['chat:read', 'chat:write'], roles: ['mod'] });
    await context.addUser('root', 'root-password', { roles: ['admin'] });
  }, 60_000);
  afterAll(() => context.close());

  const login = async (username: string) =>
    context.sessions.login(await context.verifier.verify(username, `${username}-password`), { ip: '::1' });
  const claimsOf = (response: { access_token: string }) =>
    context.tokens.verifyAccessToken(response.access_token);
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'done',
      (error: { code?: string }) => error.code,
    );

  it('adds a user who can log in, with grants as given and duplicates dropped', async () => {
    const user = await context.admin.create({
      username: 'Carol',
      password: 'a long passphrase',
      scopes: ['chat:read', 'chat:read'],
      roles: [],
    });
    expect(user).toMatchObject({ username: 'carol', scopes: ['chat:read'], roles: [], disabled: false });
    await context.admin.update('carol', { password: 'carol-password' });
    context.clock.time += 1000;
    expect(claimsOf(await login('carol'))).toMatchObject({ sub: 'carol', scope: 'chat:read' });
  });

  it.each([
    ['a taken username', { username: 'ALICE', password: 'a long passphrase' }, 'conflict'],
    ['a username no user can have', { username: 'a:b', password: 'a long passphrase' }, 'invalid_request'],
    ['a short password', { username: 'dave', password: 'short' }, 'weak_password'],
    ['a common password', { username: 'dave', password: 'password1' }, 'weak_password'],
    ['a password over 1024 bytes', { username: 'dave', password: 'é'.repeat(513) }, 'weak_password'],
    [
      'a password that is no string',
      { username: 'dave', password: 42 as unknown as string },
      'invalid_request',
    ],
    [
      'scopes that are no array',
      { username: 'dave', password: 'a long passphrase', scopes: 'chat:read' },
      'invalid_request',
    ],
    [
      'a scope with a space',
      { username: 'dave', password: 'a long passphrase', scopes: ['chat read'] },
      'invalid_request',
    ],
    [
      'a 1 MB role',
      { username: 'dave', password: 'a long passphrase', roles: ['r'.repeat(1 << 20)] },
      'invalid_request',
    ],
    [
      '101 roles',
      {
        username: 'dave',
        password: 'a long passphrase',
        roles: Array.from({ length: 101 }, (_, i) => `r${i}`),
      },
      'invalid_request',
    ],
  ])('refuses %s and adds nobody', async (_case, input, expected) => {
    expect(await code(context.admin.create(input))).toBe(expected);
    expect((await context.admin.list()).map((user) => user.username)).not.toContain('dave');
  });

  it('narrows the earlier tokens of a user who lost a scope, and records it durably; a gained one needs nothing', async () => {
    const before = claimsOf(await login('alice'));
    await context.admin.update('alice', { scopes: ['chat:read', 'chat:admin'] });
    expect(context.revocations.narrowedGrants(before)).toEqual({ scope: 'chat:read', roles: ['mod'] });
    expect(context.revocations.isRevoked(before)).toBe(false);
    const rows = await context.sql.query<{ kind: string; scopes: string[] }>(
      `select kind, scopes from ioauth_revocations where sub = 'alice' order by id`,
    );
    expect(rows).toEqual([{ kind: 'grants', scopes: ['chat:read', 'chat:admin'] }]);
    context.clock.time += 1000;
    const after = claimsOf(await login('alice'));
    expect(after.scope).toBe('chat:read chat:admin');
    expect(context.revocations.narrowedGrants(after)).toBeUndefined();
  });

  it('ends every session of a user who is disabled, or whose password an admin sets', async () => {
    context.clock.time += 1000;
    const first = claimsOf(await login('alice'));
    await context.admin.update('alice', { password: 'another long passphrase' });
    expect(context.revocations.isRevoked(first)).toBe(true);
    await expect(context.verifier.verify('alice', 'alice-password')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    await context.admin.update('alice', { password: 'alice-password' });
    context.clock.time += 1000;
    const second = claimsOf(await login('alice'));
    await context.admin.update('alice', { disabled: true });
    expect(context.revocations.isRevoked(second)).toBe(true);
    await context.admin.update('alice', { disabled: false });
  });

  it.each([
    ['disable themself', () => context.admin.update('root', { disabled: true }, { admin: 'root' })],
    ['drop their own admin role', () => context.admin.update('root', { roles: [] }, { admin: 'root' })],
    ['remove themself', () => context.admin.remove('ROOT', { admin: 'root' })],
  ])('refuses an admin who would %s, with conflict', async (_case, act) => {
    expect(await code(act())).toBe('conflict');
    expect(await context.admin.get('root')).toMatchObject({ roles: ['admin'], disabled: false });
  });

  it.each([
    ['update', () => context.admin.update('nobody', { disabled: true })],
    ['remove', () => context.admin.remove('nobody')],
    ['list the sessions of', () => context.admin.sessions('nobody')],
    ['end the sessions of', () => context.admin.endSessions('nobody')],
    ['get', () => context.admin.get('nobody')],
  ])('answers not_found to %s an unknown user', async (_case, act) => {
    expect(await code(act())).toBe('not_found');
  });

  it('refuses a patch that is no object or holds a bad field, and changes nothing', async () => {
    for (const patch of [null, { disabled: 'yes' }, { roles: 'admin' }, { password: 'short' }])
      expect(await code(context.admin.update('alice', patch as never))).toMatch(
        /invalid_request|weak_password/,
      );
    expect(await context.admin.get('alice')).toMatchObject({ disabled: false, roles: ['mod'] });
  });

  it("lists a user's live sessions and ends them all", async () => {
    context.clock.time += 1000;
    await login('root');
    const sessions = await context.admin.sessions('root');
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions[0]).toMatchObject({ sub: 'root', ip: '::1' });
    expect(await context.admin.endSessions('root')).toBe(sessions.length);
    expect(await context.admin.sessions('root')).toEqual([]);
  });

  it('removes a user, whose tokens stay refused', async () => {
    await context.addUser('eve', 'eve-password');
    const token = claimsOf(await login('eve'));
    await context.admin.remove('eve');
    expect(context.revocations.isRevoked(token)).toBe(true);
    expect(await code(context.admin.get('eve'))).toBe('not_found');
  });
});
