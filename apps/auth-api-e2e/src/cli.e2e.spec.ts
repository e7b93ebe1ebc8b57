import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli, startServer, type ServerProcess } from './server-process.js';

// Each case starts processes (PGlite opens in seconds), far beyond Jest's default 5 s.
const SLOW = 60_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('npm run ioauth (the CLI) on the embedded store', () => {
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    env = { IOAUTH_DATA_DIR: await mkdtemp(join(tmpdir(), 'ioauth-cli-e2e-')), IOAUTH_DEMO: 'false' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true });
  });

  const login = (userPass: string) =>
    fetch(`${server?.url}/auth/login`, { method: 'POST', headers: { authorization: basic(userPass) } });

  it(
    'adds a user whose password holds colons and non-ASCII, read from stdin, who can then log in',
    async () => {
      const added = await runCli(
        ['users', 'add', 'Carol', '--scopes', 'chat:read,chat:write'],
        env,
        'pa:ss:wörd\n',
      );
      expect(added).toMatchObject({ code: 0, stdout: 'added carol\n' });
      expect((await runCli(['users', 'list'], env)).stdout).toBe(
        'carol\tscopes=chat:read,chat:write\troles=\n',
      );

      server = await startServer(env);
      const response = await login('carol:pa:ss:wörd');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ scope: 'chat:read chat:write' });
    },
    SLOW,
  );

  it(
    'refuses to open the embedded store while the server holds it, and says what to do',
    async () => {
      const refused = await runCli(['users', 'list'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/in use by another ioauth process \(pid \d+\)/);
      expect(refused.stderr).toContain('DATABASE_URL');
      expect((await login('carol:pa:ss:wörd')).status).toBe(200);
    },
    SLOW,
  );

  it(
    'disables a user once the server is stopped: their logins are refused',
    async () => {
      await server?.stop();
      server = undefined;
      expect(await runCli(['users', 'disable', 'carol'], env)).toMatchObject({
        code: 0,
        stdout: 'disabled carol\n',
      });
      server = await startServer(env);
      expect((await login('carol:pa:ss:wörd')).status).toBe(401);
    },
    SLOW,
  );

  it(
    'refuses a taken name and an empty password without changing anything',
    async () => {
      await server?.stop();
      server = undefined;
      expect(await runCli(['users', 'add', 'carol'], env, 'other\n')).toMatchObject({
        code: 1,
        stderr: 'ioauth: a user with this name exists already\n',
      });
      expect(await runCli(['users', 'add', 'dave'], env, '\n')).toMatchObject({
        code: 1,
        stderr: 'ioauth: the password is empty\n',
      });
      expect((await runCli(['users', 'list'], env)).stdout).toBe(
        'carol\tscopes=chat:read,chat:write\troles= (disabled)\n',
      );
    },
    SLOW,
  );
});
