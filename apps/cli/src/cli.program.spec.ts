import { AuthError } from '@ioauth/auth-core';
import type { AdminUser } from '@ioauth/contracts';

import { runCli } from './cli.program.js';
import type { CliDependencies } from './command-context.js';
import type { NewUserRequest, UserAdminPort, UserChangeRequest } from './user-admin/user-admin.port.js';
import { adminUser } from './testing/admin-user.js';

/** The users' backend as a fake that refuses like `UserAdminService`, and records each call. */
class FakeUsers implements UserAdminPort {
  readonly calls: unknown[][] = [];
  readonly users = new Map<string, AdminUser>([['carol', adminUser('carol', { scopes: ['chat:read'] })]]);

  async list() {
    this.calls.push(['list']);
    return [...this.users.values()];
  }
  async create(user: NewUserRequest) {
    this.calls.push(['create', user]);
    const username = user.username.toLowerCase();
    if (user.password.length < 8)
      throw new AuthError('weak_password', 'the password is shorter than 8 characters');
    if (this.users.has(username)) throw new AuthError('conflict', 'a user with this name exists');
    const created = adminUser(username, {
      scopes: (user.scopes as string[]) ?? [],
      roles: (user.roles as string[]) ?? [],
    });
    this.users.set(username, created);
    return created;
  }
  async update(username: string, changes: UserChangeRequest) {
    this.calls.push(['update', username, changes]);
    const user = this.users.get(username);
    if (!user) throw new AuthError('not_found', 'no such user');
    const { password: _password, ...grants } = changes;
    const updated = { ...user, ...grants };
    this.users.set(username, updated);
    return updated;
  }
  async remove(username: string) {
    this.calls.push(['remove', username]);
    if (!this.users.delete(username)) throw new AuthError('not_found', 'no such user');
  }
  async endSessions(username: string) {
    this.calls.push(['endSessions', username]);
    return 3;
  }
}

function cli(options: { files?: Record<string, string>; password?: string; failure?: Error } = {}) {
  const users = new FakeUsers();
  const written = { stdout: '', stderr: '' };
  let passwordsRead = 0;
  const deps: CliDependencies = {
    withUsers: async (work) => {
      if (options.failure) throw options.failure;
      return work(users);
    },
    rotateKey: async () => 'kid-2',
    readPassword: async () => {
      passwordsRead += 1;
      return options.password ?? 'pass-word-1';
    },
    readFile: async (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return new TextEncoder().encode(text);
    },
    version: () => '9.8.7',
    stdout: { write: (chunk: string) => (written.stdout += chunk) },
    stderr: { isTTY: false, write: (chunk: string) => (written.stderr += chunk) },
  };
  const run = async (...args: string[]) => {
    written.stdout = '';
    written.stderr = '';
    const code = await runCli(args, deps);
    return { code, ...written };
  };
  return { run, users, passwordsRead: () => passwordsRead };
}

describe('runCli', () => {
  it('prints its version', async () => {
    expect(await cli().run('--version')).toEqual({ code: 0, stdout: '9.8.7\n', stderr: '' });
  });

  it('adds a user with a normalised name, the password read once, and the grants given', async () => {
    const { run, users, passwordsRead } = cli();
    expect(await run('users', 'add', 'Dave', '--scopes', 'a, b,', '--roles', 'moderator')).toEqual({
      code: 0,
      stdout: 'added dave\n',
      stderr: '',
    });
    expect(users.calls).toEqual([
      ['create', { username: 'dave', password: 'pass-word-1', scopes: ['a', 'b'], roles: ['moderator'] }],
    ]);
    expect(passwordsRead()).toBe(1);
  });

  it('refuses a bad username before reading a password', async () => {
    const { run, users, passwordsRead } = cli();
    expect(await run('users', 'add', 'a:b')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ioauth: the username is empty, too long, or holds a colon or control character\n',
    });
    expect(passwordsRead()).toBe(0);
    expect(users.calls).toEqual([]);
  });

  it.each<[string, string[], string, unknown[]]>([
    ['removes', ['users', 'remove', 'Carol'], 'removed carol\n', ['remove', 'carol']],
    ['disables', ['users', 'disable', 'carol'], 'disabled carol\n', ['update', 'carol', { disabled: true }]],
    ['enables', ['users', 'enable', 'carol'], 'enabled carol\n', ['update', 'carol', { disabled: false }]],
    [
      'sets the password of',
      ['users', 'set-password', 'carol'],
      'set the password of carol and ended their sessions\n',
      ['update', 'carol', { password: 'pass-word-1' }],
    ],
    [
      'empties the scopes of',
      ['users', 'set-grants', 'carol', '--scopes', ''],
      'carol\tscopes=\troles=\n',
      ['update', 'carol', { scopes: [] }],
    ],
    [
      'replaces the roles alone of',
      ['users', 'set-grants', 'carol', '--roles', 'admin,ops'],
      'carol\tscopes=chat:read\troles=admin,ops\n',
      ['update', 'carol', { roles: ['admin', 'ops'] }],
    ],
    [
      'ends the sessions of',
      ['sessions', 'revoke', '--user', 'Carol'],
      'revoked 3 session(s) of carol\n',
      ['endSessions', 'carol'],
    ],
  ])('%s a user', async (_verb, args, stdout, call) => {
    const { run, users } = cli();
    expect(await run(...args)).toEqual({ code: 0, stdout, stderr: '' });
    expect(users.calls).toEqual([call]);
  });

  it('refuses set-grants without --scopes or --roles', async () => {
    const { run, users } = cli();
    expect(await run('users', 'set-grants', 'carol')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ioauth: give --scopes, --roles or both\n',
    });
    expect(users.calls).toEqual([]);
  });

  it.each([
    ['an unknown user', ['users', 'disable', 'nobody'], 'no such user'],
    ['a taken name', ['users', 'add', 'carol'], 'a user with this name exists'],
  ])('says why it refuses %s, and exits 1', async (_case, args, message) => {
    expect(await cli().run(...args)).toEqual({ code: 1, stdout: '', stderr: `ioauth: ${message}\n` });
  });

  it('lists the users, as lines or as a JSON array', async () => {
    const { run } = cli();
    expect(await run('users', 'list')).toMatchObject({
      code: 0,
      stdout: 'carol\tscopes=chat:read\troles=\n',
    });
    const listed = await run('users', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([adminUser('carol', { scopes: ['chat:read'] })]);
  });

  it('rotates the signing key', async () => {
    expect(await cli().run('keys', 'rotate')).toEqual({
      code: 0,
      stdout: 'signing with kid-2\n',
      stderr: '',
    });
    expect(JSON.parse((await cli().run('--json', 'keys', 'rotate')).stdout)).toEqual({ kid: 'kid-2' });
  });

  describe('with --json', () => {
    it.each<[string[], unknown]>([
      [['users', 'add', 'dave'], adminUser('dave')],
      [['users', 'remove', 'carol'], { username: 'carol', removed: true }],
      [['sessions', 'revoke', '--user', 'carol'], { username: 'carol', revoked: 3 }],
      [['users', 'disable', 'carol'], adminUser('carol', { scopes: ['chat:read'], disabled: true })],
    ])('writes the result of %j as one JSON value', async (args, value) => {
      const ran = await cli().run('--json', ...args);
      expect(ran).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(ran.stdout)).toEqual(value);
    });

    it.each<[string, string[], string]>([
      ['a refusal of the backend', ['users', 'add', 'dave'], 'weak_password'],
      ['a missing argument', ['users', 'add'], 'invalid_request'],
      ['an unknown option', ['users', 'list', '--all'], 'invalid_request'],
      ['an unknown command', ['groups', 'list'], 'invalid_request'],
      ['no command', [], 'invalid_request'],
    ])(
      'writes %s as {"error":{"code","message"}} on standard output alone, and exits 1',
      async (_case, args, code) => {
        const ran = await cli({ password: 'short' }).run(...args, '--json');
        expect(ran).toMatchObject({ code: 1, stderr: '' });
        expect(JSON.parse(ran.stdout)).toEqual({ error: { code, message: expect.any(String) } });
      },
    );
  });

  it('says what is wrong with the command line, with its usage, on standard error', async () => {
    const ran = await cli().run('users', 'add');
    expect(ran).toMatchObject({ code: 1, stdout: '' });
    expect(ran.stderr).toMatch(/^error: missing required argument 'name'\n\nUsage: ioauth users add/);
  });

  it('shows the first line only of an unexpected error', async () => {
    const ran = await cli({ failure: new Error('connection lost\n    at Socket.x (net.js:1:1)') }).run(
      'users',
      'list',
      '--json',
    );
    expect(JSON.parse(ran.stdout)).toEqual({ error: { code: 'internal_error', message: 'connection lost' } });
  });

  describe('users import', () => {
    const CSV = 'username,password,roles\nerin,pass-word-2,ops\ncarol,pass-word-3,\nfrank,x,\n';

    it('adds, skips existing users, reports bad rows without their passwords, and exits 1 for them', async () => {
      const { run, users } = cli({ files: { 'users.csv': CSV } });
      const ran = await run('users', 'import', 'users.csv');
      expect(ran).toEqual({
        code: 1,
        stdout:
          'added 1, skipped existing 1, failed 1\n' +
          'row 4 (frank): the password is shorter than 8 characters\n',
        stderr: '',
      });
      expect(users.users.get('erin')).toMatchObject({ roles: ['ops'] });
      expect(users.users.get('carol')).toMatchObject({ scopes: ['chat:read'] });
    });

    it('exits 0 when every row is added or skipped, and reports as JSON', async () => {
      const json =
        '[{"username":"gus","password":"pass-word-4","scopes":["a"]},{"username":"carol","password":"pass-word-5"}]';
      const ran = await cli({ files: { 'users.json': json } }).run('--json', 'users', 'import', 'users.json');
      expect(ran.code).toBe(0);
      expect(JSON.parse(ran.stdout)).toEqual({ total: 2, added: ['gus'], skipped: ['carol'], failed: [] });
    });

    it('refuses a file it cannot read, and one it cannot parse, before opening the store', async () => {
      const { run, users } = cli({ files: { 'bad.json': '{' } });
      expect(await run('users', 'import', 'missing.csv')).toEqual({
        code: 1,
        stdout: '',
        stderr: 'ioauth: cannot read missing.csv (ENOENT)\n',
      });
      expect(await run('users', 'import', 'bad.json')).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('not valid JSON'),
      });
      expect(users.calls).toEqual([]);
    });
  });
});
