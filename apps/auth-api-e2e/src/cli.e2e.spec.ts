import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Socket } from 'socket.io-client';

import type { AdminUser, TokenResponse } from '@ioauth/contracts';

import { connectSocket, runCli, startServer, waitFor, type ServerProcess } from '@ioauth/test-support';

import { basic } from './support/http-api.js';

// Each case starts processes (PGlite opens in seconds), far beyond Jest's default 5 s.
const SLOW = 60_000;
const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const kidOf = (token: string): unknown =>
  JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid;
const jwksKids = async (server: ServerProcess) =>
  (
    (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
  ).keys.map((key) => key.kid);
const SIGNING_WITH = /^signing with ([\w-]{43})\n$/;
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const BAD_USERNAME = 'ioauth: the username is empty, too long, or holds a colon or control character\n';
const BAD_GRANT = (field: string) =>
  `ioauth: each of ${field} must be 1 to 128 printable ASCII characters, without space, quote or backslash\n`;

const loginAt = (server: ServerProcess | undefined, userPass: string) =>
  fetch(`${server?.url}/auth/login`, { method: 'POST', headers: { authorization: basic(userPass) } });

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs the CLI as `runCli` does, with `input` on standard input from a file rather than a pipe: the CLI stops
 * reading an input too large to be a password, and a pipe's writer (here) would then fail with EPIPE.
 */
async function runCliOnFile(args: string[], env: Record<string, string>, input: string) {
  const inputFile = join(env['IOAUTH_DATA_DIR'] as string, 'stdin.txt');
  await writeFile(inputFile, input);
  const stdin = await open(inputFile, 'r');
  try {
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps/cli/main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: [stdin.fd, 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  } finally {
    await stdin.close();
  }
}

/** Runs the CLI with `input` on standard input, from a file when it is larger than a pipe's buffer. */
const runWithInput = (args: string[], env: Record<string, string>, input = '') =>
  input.length > 64 * 1024 ? runCliOnFile(args, env, input) : runCli(args, env, input);

/** A `--json` run: its exit code, the one JSON value on standard output, and standard error. */
async function runJson(args: string[], env: Record<string, string>, input = '') {
  const { code, stdout, stderr } = await runCli(['--json', ...args], env, input);
  return { code, value: JSON.parse(stdout) as unknown, stderr };
}

/**
 * Invalid input, refused the same way whichever backend runs the command (the store directly, or the admin API of
 * the server holding it): exit 1, the reason on standard error, nothing on standard output, nothing changed. `carol`
 * exists; `nobody` does not.
 */
const REFUSALS: { what: string; args: string[]; input?: string; stderr: string }[] = [
  {
    what: 'a one-character password',
    args: ['users', 'add', 'erin'],
    input: 'x\n',
    stderr: 'ioauth: the password is shorter than 8 characters\n',
  },
  {
    what: 'a common password',
    args: ['users', 'add', 'erin'],
    input: 'iloveyou1\n',
    stderr: 'ioauth: the password is one of the most commonly used: choose another\n',
  },
  {
    what: 'a password over 1024 bytes',
    args: ['users', 'add', 'erin'],
    input: `${'p'.repeat(2048)}\n`,
    stderr: 'ioauth: the password is longer than 1024 bytes\n',
  },
  {
    what: 'a password of 1 MB',
    args: ['users', 'add', 'erin'],
    input: 'p'.repeat(1024 * 1024),
    stderr: 'ioauth: standard input holds more than 65536 bytes: not a password\n',
  },
  {
    what: 'an empty password',
    args: ['users', 'add', 'erin'],
    input: '\n',
    stderr: 'ioauth: the password is empty\n',
  },
  {
    what: 'a taken name, in another case',
    args: ['users', 'add', 'CAROL'],
    input: 'another-pass-42\n',
    stderr: 'ioauth: a user with this name exists\n',
  },
  {
    what: 'a username with a colon',
    args: ['users', 'add', 'a:b'],
    input: 'pass-word-42\n',
    stderr: BAD_USERNAME,
  },
  // The longest argument Linux passes is 128 KB.
  { what: 'a username of 100 KB', args: ['users', 'remove', 'u'.repeat(100 * 1024)], stderr: BAD_USERNAME },
  {
    what: 'a scope with a space',
    args: ['users', 'add', 'erin', '--scopes', 'chat read'],
    input: 'pass-word-42\n',
    stderr: BAD_GRANT('scopes'),
  },
  {
    what: 'a role with a quote',
    args: ['users', 'set-grants', 'carol', '--roles', 'a"b'],
    stderr: BAD_GRANT('roles'),
  },
  {
    what: '101 scopes',
    args: [
      'users',
      'set-grants',
      'carol',
      '--scopes',
      Array.from({ length: 101 }, (_, n) => `s${n}`).join(','),
    ],
    stderr: 'ioauth: scopes must be an array of at most 100 strings\n',
  },
  {
    what: 'set-grants without --scopes or --roles',
    args: ['users', 'set-grants', 'carol'],
    stderr: 'ioauth: give --scopes, --roles or both\n',
  },
  {
    what: 'a common password on set-password',
    args: ['users', 'set-password', 'carol'],
    input: 'iloveyou1\n',
    stderr: 'ioauth: the password is one of the most commonly used: choose another\n',
  },
  { what: 'removing an unknown user', args: ['users', 'remove', 'nobody'], stderr: 'ioauth: no such user\n' },
  {
    what: 'disabling an unknown user',
    args: ['users', 'disable', 'nobody'],
    stderr: 'ioauth: no such user\n',
  },
  {
    what: 'the password of an unknown user',
    args: ['users', 'set-password', 'nobody'],
    input: 'pass-word-42\n',
    stderr: 'ioauth: no such user\n',
  },
  {
    what: 'the grants of an unknown user',
    args: ['users', 'set-grants', 'nobody', '--roles', 'ops'],
    stderr: 'ioauth: no such user\n',
  },
  {
    what: 'the sessions of an unknown user',
    args: ['sessions', 'revoke', '--user', 'nobody'],
    stderr: 'ioauth: no such user\n',
  },
];

describe('npm run ioauth (the CLI) on the embedded store, with no server running', () => {
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  const cli = (args: string[], input = '', extraEnv: Record<string, string> = {}) =>
    runWithInput(args, { ...env, ...extraEnv }, input);
  const login = (userPass: string) => loginAt(server, userPass);

  beforeAll(async () => {
    env = { IOAUTH_DATA_DIR: await mkdtemp(join(tmpdir(), 'ioauth-cli-e2e-')), IOAUTH_DEMO: 'false' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true });
  }, SLOW);

  it('prints the version of the repository', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it(
    'adds a user whose password holds colons and non-ASCII, read from stdin, and lists them',
    async () => {
      const added = await cli(['users', 'add', 'Carol', '--scopes', 'chat:read,chat:write'], 'pa:ss:wörd\n');
      expect(added).toEqual({ code: 0, stdout: 'added carol\n', stderr: '' });
      expect((await cli(['users', 'list'])).stdout).toBe('carol\tscopes=chat:read,chat:write\troles=\n');
    },
    SLOW,
  );

  it.each(REFUSALS)(
    'refuses $what, saying why without echoing it, and changes nothing',
    async ({ args, input, stderr }) => {
      expect(await cli(args, input)).toEqual({ code: 1, stdout: '', stderr });
    },
    SLOW,
  );

  it(
    'applies IOAUTH_PASSWORD_MIN_LENGTH, and the refusals above left the users as they were',
    async () => {
      expect(
        await cli(['users', 'add', 'erin'], 'k7#qZp2!x9\n', { IOAUTH_PASSWORD_MIN_LENGTH: '12' }),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr: 'ioauth: the password is shorter than 12 characters\n',
      });
      expect((await cli(['users', 'list'])).stdout).toBe('carol\tscopes=chat:read,chat:write\troles=\n');
    },
    SLOW,
  );

  it(
    'replaces the lists set-grants is given, empties one given as "", and keeps the other',
    async () => {
      expect(await cli(['users', 'set-grants', 'carol', '--roles', 'moderator,ops'])).toEqual({
        code: 0,
        stdout: 'carol\tscopes=chat:read,chat:write\troles=moderator,ops\n',
        stderr: '',
      });
      expect((await cli(['users', 'set-grants', 'carol', '--scopes', '', '--roles', 'ops'])).stdout).toBe(
        'carol\tscopes=\troles=ops\n',
      );
      expect((await cli(['users', 'set-grants', 'carol', '--scopes', 'chat:read'])).stdout).toBe(
        'carol\tscopes=chat:read\troles=ops\n',
      );
    },
    SLOW,
  );

  it(
    'sets a password read from stdin, disables and enables a user',
    async () => {
      expect(await cli(['users', 'set-password', 'carol'], 'carol-new-pass\n')).toEqual({
        code: 0,
        stdout: 'set the password of carol and ended their sessions\n',
        stderr: '',
      });
      expect((await cli(['users', 'disable', 'carol'])).stdout).toBe('disabled carol\n');
      expect((await cli(['users', 'list'])).stdout).toBe('carol\tscopes=chat:read\troles=ops (disabled)\n');
      expect((await cli(['users', 'enable', 'carol'])).stdout).toBe('enabled carol\n');
    },
    SLOW,
  );

  it(
    'with --json, writes each result as one JSON value on standard output, users without password hashes',
    async () => {
      const user = (fields: Partial<AdminUser>) => ({
        username: 'gina',
        scopes: [],
        roles: ['ops'],
        disabled: false,
        created_at: ISO,
        updated_at: ISO,
        ...fields,
      });
      expect(await runJson(['users', 'add', 'gina', '--roles', 'ops'], env, 'gina-pass-77\n')).toEqual({
        code: 0,
        value: user({}),
        stderr: '',
      });
      const listed = await runJson(['users', 'list'], env);
      expect(listed.value).toEqual([user({ username: 'carol', scopes: ['chat:read'] }), user({})]);
      expect(JSON.stringify(listed.value)).not.toMatch(/argon2|hash/i);
      expect((await runJson(['users', 'set-grants', 'gina', '--scopes', 'a,b'], env)).value).toEqual(
        user({ scopes: ['a', 'b'] }),
      );
      expect((await runJson(['users', 'disable', 'gina'], env)).value).toEqual(
        user({ scopes: ['a', 'b'], disabled: true }),
      );
      expect((await runJson(['users', 'enable', 'gina'], env)).value).toEqual(user({ scopes: ['a', 'b'] }));
      expect((await runJson(['users', 'set-password', 'gina'], env, 'gina-pass-78\n')).value).toEqual(
        user({ scopes: ['a', 'b'] }),
      );
      expect((await runJson(['sessions', 'revoke', '--user', 'gina'], env)).value).toEqual({
        username: 'gina',
        revoked: 0,
      });
      expect(await runJson(['users', 'remove', 'GINA'], env)).toEqual({
        code: 0,
        value: { username: 'gina', removed: true },
        stderr: '',
      });
    },
    SLOW,
  );

  it.each<[string, string[], string, string]>([
    ['a refusal', ['users', 'remove', 'gina'], '', 'not_found'],
    ['a weak password', ['users', 'add', 'gina'], 'x\n', 'weak_password'],
    ['a taken name', ['users', 'add', 'carol'], 'pass-word-42\n', 'conflict'],
    ['a missing argument', ['users', 'add'], '', 'invalid_request'],
    ['an unknown option', ['users', 'list', '--everyone'], '', 'invalid_request'],
  ])(
    'with --json, writes %s as {"error":{"code","message"}} on standard output alone, and exits 1',
    async (_case, args, input, code) => {
      expect(await runJson(args, env, input)).toEqual({
        code: 1,
        value: { error: { code, message: expect.any(String) } },
        stderr: '',
      });
    },
    SLOW,
  );

  it(
    'imports a JSON file: adds new users, skips existing ones untouched, reports bad rows without passwords',
    async () => {
      const file = join(env['IOAUTH_DATA_DIR'] as string, 'users.json');
      await writeFile(
        file,
        JSON.stringify([
          { username: 'Hana', password: 'hana-pass-1', scopes: ['chat:read'] },
          { username: 'carol', password: 'would-overwrite-1' },
          { username: 'ivan', password: 'zq7' },
          { username: 'hana', password: 'hana-pass-2' },
          { username: 'jon', password: 'jon-pass-11', roles: 'admin' },
        ]),
      );
      const imported = await cli(['users', 'import', file]);
      expect(imported).toEqual({
        code: 1,
        stdout:
          'added 1, skipped existing 1, failed 3\n' +
          'row 3 (ivan): the password is shorter than 8 characters\n' +
          'row 4 (hana): the username is also on row 1\n' +
          'row 5 (jon): roles must be an array of at most 100 strings\n',
        // Standard error is no terminal here: no progress bar.
        stderr: '',
      });
      expect(imported.stdout).not.toMatch(/zq7|would-overwrite|hana-pass/);
    },
    SLOW,
  );

  it(
    'imports a CSV file with a byte order mark, CRLF, quoting and empty lines, reporting as JSON',
    async () => {
      const file = join(env['IOAUTH_DATA_DIR'] as string, 'users.csv');
      await writeFile(
        file,
        '\uFEFFusername,password,scopes,roles\r\n' +
          'kim,"kim,pass ""1""",chat:read;chat:write,\r\n' +
          '\r\n' +
          'lee,lee-pass-22,chat:read chat:write,moderator\r\n' +
          'carol,whatever-pass,,\r\n' +
          'mo,mo-pass-33\r\n',
      );
      expect(await runJson(['users', 'import', file], env)).toEqual({
        code: 1,
        value: {
          total: 4,
          added: ['kim', 'lee'],
          skipped: ['carol'],
          failed: [
            { row: 6, code: 'invalid_request', message: 'the row has 2 fields where the header has 4' },
          ],
        },
        stderr: '',
      });
      expect((await cli(['users', 'list'])).stdout).toBe(
        'carol\tscopes=chat:read\troles=ops\n' +
          'hana\tscopes=chat:read\troles=\n' +
          'kim\tscopes=chat:read,chat:write\troles=\n' +
          'lee\tscopes=chat:read,chat:write\troles=moderator\n',
      );
    },
    SLOW,
  );

  it(
    'refuses an import file it cannot read or parse, importing nothing',
    async () => {
      const file = join(env['IOAUTH_DATA_DIR'] as string, 'broken.json');
      await writeFile(file, '[{"username":"nell","password":"nell-secret-1"},');
      expect(await cli(['users', 'import', file])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'ioauth: the file is not valid JSON\n',
      });
      expect(
        await runJson(['users', 'import', join(tmpdir(), 'no-such-ioauth-file.csv')], env),
      ).toMatchObject({
        code: 1,
        value: { error: { code: 'invalid_request', message: expect.stringContaining('(ENOENT)') } },
      });
    },
    SLOW,
  );

  it(
    'rotates the signing key in the database; the server then signs with it, and every change above holds',
    async () => {
      const rotated = await cli(['keys', 'rotate']);
      expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(SIGNING_WITH) });
      const kid = SIGNING_WITH.exec(rotated.stdout)?.[1];
      server = await startServer(env);
      const kids = await jwksKids(server);
      expect(kids).toHaveLength(2);
      expect(kids[0]).toBe(kid);
      const carol = await login('carol:carol-new-pass');
      expect(carol.status).toBe(200);
      const tokens = (await carol.json()) as TokenResponse;
      expect(kidOf(tokens.access_token)).toBe(kid);
      expect(tokens.scope).toBe('chat:read');
      expect((await login('carol:pa:ss:wörd')).status).toBe(401);
      expect((await login('kim:kim,pass "1"')).status).toBe(200);
      expect((await login('gina:gina-pass-78')).status).toBe(401);
    },
    SLOW,
  );
});

describe('npm run ioauth (the CLI) while the server holds the embedded store', () => {
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  const sockets: Socket[] = [];
  const cli = (args: string[], input = '') => runWithInput(args, env, input);
  const login = (userPass: string) => loginAt(server, userPass);
  const connectAs = async (userPass: string) => {
    const response = await login(userPass);
    expect(response.status).toBe(200);
    const socket = await connectSocket(server?.url ?? '', {
      auth: { token: ((await response.json()) as TokenResponse).access_token },
    });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    env = { IOAUTH_DATA_DIR: await mkdtemp(join(tmpdir(), 'ioauth-cli-e2e-')), IOAUTH_DEMO: 'false' };
    expect((await cli(['users', 'add', 'carol', '--scopes', 'chat:read'], 'carol-pass-1\n')).code).toBe(0);
    server = await startServer(env);
  }, SLOW);
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server?.stop();
    await rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true });
  }, SLOW);

  it(
    'adds a user through the server, who can log in at once, and lists the users as without a server',
    async () => {
      expect(
        await cli(['users', 'add', 'Dora', '--scopes', 'chat:read,chat:write'], 'dora-pass-1\n'),
      ).toEqual({
        code: 0,
        stdout: 'added dora\n',
        stderr: '',
      });
      const response = await login('dora:dora-pass-1');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ scope: 'chat:read chat:write' });
      expect((await cli(['users', 'list'])).stdout).toBe(
        'carol\tscopes=chat:read\troles=\ndora\tscopes=chat:read,chat:write\troles=\n',
      );
    },
    SLOW,
  );

  it.each(REFUSALS)(
    'refuses $what as the direct mode does',
    async ({ args, input, stderr }) => {
      expect(await cli(args, input)).toEqual({ code: 1, stdout: '', stderr });
    },
    SLOW,
  );

  it(
    'takes a scope away from a connected user: their socket is asked to refresh (grants_changed)',
    async () => {
      const socket = await connectAs('dora:dora-pass-1');
      const expiring = waitFor<{ exp: number; reason?: string }>(socket, 'auth:expiring', 15_000);
      expect(await cli(['users', 'set-grants', 'dora', '--scopes', 'chat:read'])).toEqual({
        code: 0,
        stdout: 'dora\tscopes=chat:read\troles=\n',
        stderr: '',
      });
      expect(await expiring).toEqual({ exp: expect.any(Number), reason: 'grants_changed' });
      expect(await socket.emitWithAck('whoami')).toMatchObject({ sub: 'dora', scope: 'chat:read' });
    },
    SLOW,
  );

  it(
    'disables a connected user: their socket is closed with token_revoked, their logins refused',
    async () => {
      const socket = await connectAs('carol:carol-pass-1');
      const revoked = waitFor<{ code: string }>(socket, 'auth:error', 15_000);
      expect((await cli(['users', 'disable', 'carol'])).stdout).toBe('disabled carol\n');
      expect(await revoked).toMatchObject({ code: 'token_revoked' });
      expect((await login('carol:carol-pass-1')).status).toBe(401);
      expect((await cli(['users', 'enable', 'carol'])).code).toBe(0);
    },
    SLOW,
  );

  it(
    'sets a password and ends the sessions of a connected user',
    async () => {
      const socket = await connectAs('carol:carol-pass-1');
      const revoked = waitFor<{ code: string }>(socket, 'auth:error', 15_000);
      expect((await cli(['users', 'set-password', 'carol'], 'carol-pass-2\n')).code).toBe(0);
      expect(await revoked).toMatchObject({ code: 'token_revoked' });
      expect((await login('carol:carol-pass-2')).status).toBe(200);
      expect(await cli(['sessions', 'revoke', '--user', 'carol'])).toEqual({
        code: 0,
        stdout: 'revoked 1 session(s) of carol\n',
        stderr: '',
      });
    },
    SLOW,
  );

  it(
    'imports a CSV file through the server',
    async () => {
      const file = join(env['IOAUTH_DATA_DIR'] as string, 'users.csv');
      await writeFile(
        file,
        'username,password,scopes\nezra,ezra-pass-1,chat:read\ndora,dora-pass-9,\nfay,x,\n',
      );
      expect(await cli(['users', 'import', file])).toEqual({
        code: 1,
        stdout:
          'added 1, skipped existing 1, failed 1\nrow 4 (fay): the password is shorter than 8 characters\n',
        stderr: '',
      });
      expect((await login('ezra:ezra-pass-1')).status).toBe(200);
      expect((await login('dora:dora-pass-9')).status).toBe(401);
    },
    SLOW,
  );

  it(
    'removes a user through the server, with --json',
    async () => {
      expect(await runJson(['users', 'remove', 'ezra'], env)).toEqual({
        code: 0,
        value: { username: 'ezra', removed: true },
        stderr: '',
      });
      expect(await runJson(['users', 'remove', 'ezra'], env)).toEqual({
        code: 1,
        value: { error: { code: 'not_found', message: 'no such user' } },
        stderr: '',
      });
    },
    SLOW,
  );

  it(
    'refuses to rotate keys, which no admin route does, saying to stop the server',
    async () => {
      const refused = await cli(['keys', 'rotate']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/in use by another ioauth process \(pid \d+\)/);
      expect(refused.stderr).toContain('DATABASE_URL');
      expect((await runJson(['keys', 'rotate'], env)).value).toMatchObject({ error: { code: 'store_busy' } });
    },
    SLOW,
  );

  it(
    'refuses the local admin credential once others may read it',
    async () => {
      const file = join(env['IOAUTH_DATA_DIR'] as string, 'admin-api.json');
      await chmod(file, 0o644);
      try {
        expect(await cli(['users', 'list'])).toEqual({
          code: 1,
          stdout: '',
          stderr:
            `ioauth: refusing the local admin credential: ${file} is open to other users (mode 644); ` +
            'restart the server, which writes it with mode 600\n',
        });
      } finally {
        await chmod(file, 0o600);
      }
    },
    SLOW,
  );

  it(
    'lists the same users, with the same JSON, once the server has stopped',
    async () => {
      const remote = await cli(['--json', 'users', 'list']);
      await server?.stop();
      server = undefined;
      expect(await cli(['--json', 'users', 'list'])).toEqual(remote);
    },
    SLOW,
  );
});

describe('npm run ioauth (the CLI) beside a process that holds the embedded store without answering', () => {
  let env: Record<string, string>;
  let file: string;
  let closedPort: number;

  beforeAll(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-cli-e2e-'));
    env = { IOAUTH_DATA_DIR: dataDir, IOAUTH_DEMO: 'false' };
    file = join(dataDir, 'admin-api.json');
    // The store's lock, held by a live process (this one) that serves nothing: a server stopping, or hung.
    await mkdir(join(dataDir, 'db'), { mode: 0o700 });
    await writeFile(join(dataDir, 'db', 'ioauth.pid'), String(process.pid), { mode: 0o600 });
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(() => rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true }));

  const cli = () => runCli(['users', 'add', 'olga'], env, 'olga-pass-1\n');
  const writeCredential = (pid: number) =>
    writeFile(file, JSON.stringify({ url: `http://127.0.0.1:${closedPort}`, key: 'k'.repeat(43), pid }), {
      mode: 0o600,
    });

  it(
    'says the server named in the file has stopped when nothing answers there',
    async () => {
      await writeCredential(process.pid);
      expect(await cli()).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `ioauth: no server answers at http://127.0.0.1:${closedPort}, named in ${file}: it has stopped; ` +
          'if it does not start again, remove the file\n',
      });
    },
    SLOW,
  );

  it(
    'says the file is stale when another process than its writer holds the store',
    async () => {
      await writeCredential(process.pid + 1);
      const refused = await runJson(['users', 'list'], env);
      expect(refused).toMatchObject({
        code: 1,
        value: {
          error: { code: 'admin_api_unavailable', message: expect.stringContaining('the file is stale') },
        },
      });
    },
    SLOW,
  );

  it(
    'keeps the refusal of a busy store when its holder offers no admin API',
    async () => {
      await rm(file);
      const refused = await cli();
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `ioauth: the embedded database in ${join(env['IOAUTH_DATA_DIR'] as string, 'db')} is in use by another ` +
          `ioauth process (pid ${process.pid}): stop it first (the \`npm start\` server, say), or set DATABASE_URL ` +
          'so that several processes share PostgreSQL\n',
      );
    },
    SLOW,
  );
});

describe('npm run ioauth (the CLI) on an install that kept its keys in keys.json', () => {
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    env = { IOAUTH_DATA_DIR: await mkdtemp(join(tmpdir(), 'ioauth-cli-e2e-')), IOAUTH_DEMO: 'false' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true });
  }, SLOW);

  it(
    'imports the key file into the database once: its key stays published, retired, after a rotation',
    async () => {
      // keys.json as earlier versions wrote it, next to no database yet.
      const privateJwk = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
        format: 'jwk',
      });
      const { kty, crv, x, y } = privateJwk;
      const legacyKid = await calculateJwkThumbprint({ kty, crv, x, y } as JWK);
      await writeFile(
        join(env['IOAUTH_DATA_DIR'] as string, 'keys.json'),
        JSON.stringify({ keys: [{ kid: legacyKid, alg: 'ES256', privateJwk, createdAt: Date.now() }] }),
        { mode: 0o600 },
      );
      const rotated = await runCli(['keys', 'rotate'], env);
      expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(SIGNING_WITH) });
      server = await startServer(env);
      expect(await jwksKids(server)).toEqual([SIGNING_WITH.exec(rotated.stdout)?.[1], legacyKid]);
    },
    SLOW,
  );
});
