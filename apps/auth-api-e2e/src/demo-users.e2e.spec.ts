import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli, startServer, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
const DEMO_WARNING = 'demo mode: the users alice, bob and admin exist';

describe('demo users, seeded once per database', () => {
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    env = { IOAUTH_DATA_DIR: await mkdtemp(join(tmpdir(), 'ioauth-demo-users-e2e-')), IOAUTH_DEMO: 'true' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true });
  }, SLOW);

  const login = (userPass: string) =>
    fetch(`${server?.url}/auth/login`, { method: 'POST', headers: { authorization: basic(userPass) } });

  it(
    'does not bring back a demo user removed with the CLI on the next start, and still warns of demo mode',
    async () => {
      server = await startServer(env);
      expect((await login('alice:alice-password')).status).toBe(200);
      await server.stop();
      server = undefined;

      expect(await runCli(['users', 'remove', 'alice'], env)).toMatchObject({
        code: 0,
        stdout: 'removed alice\n',
      });

      server = await startServer(env);
      expect((await login('alice:alice-password')).status).toBe(401);
      expect((await login('bob:bob-password')).status).toBe(200);
      expect(server.output()).toContain(DEMO_WARNING);
    },
    SLOW * 2,
  );
});
