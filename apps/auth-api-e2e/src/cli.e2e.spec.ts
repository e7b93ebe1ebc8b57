import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { calculateJwkThumbprint, type JWK } from 'jose';

import type { TokenResponse } from '@ioauth/contracts';

import { runCli, startServer, type ServerProcess } from '@ioauth/test-support';

// Each case starts processes (PGlite opens in seconds), far beyond Jest's default 5 s.
const SLOW = 60_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
const kidOf = (token: string): unknown =>
  JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid;
const jwksKids = async (server: ServerProcess) =>
  (
    (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
  ).keys.map((key) => key.kid);
const SIGNING_WITH = /^signing with ([\w-]{43})\n$/;

describe('npm run ioauth (the CLI) on the embedded store', () => {
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    env = { IOAUTH_DATA_DIR: await mkdtemp(join(tmpdir(), 'ioauth-cli-e2e-')), IOAUTH_DEMO: 'false' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(env['IOAUTH_DATA_DIR'] as string, { recursive: true, force: true });
  }, SLOW);

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
      expect(await runCli(['users', 'add', 'carol'], env, 'another-pass-42\n')).toMatchObject({
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

  it.each<{ what: string; password: string; stderr: string; minLength?: string }>([
    { what: 'one character', password: 'x', stderr: 'ioauth: the password is shorter than 8 characters\n' },
    {
      what: 'a common password',
      password: 'iloveyou1',
      stderr: 'ioauth: the password is one of the most commonly used: choose another\n',
    },
    {
      what: 'a password shorter than IOAUTH_PASSWORD_MIN_LENGTH',
      password: 'k7#qZp2!x9',
      stderr: 'ioauth: the password is shorter than 12 characters\n',
      minLength: '12',
    },
  ])(
    'refuses $what, saying why without echoing it, and adds no one',
    async ({ password, stderr, minLength }) => {
      await server?.stop();
      server = undefined;
      const cliEnv = minLength ? { ...env, IOAUTH_PASSWORD_MIN_LENGTH: minLength } : env;
      expect(await runCli(['users', 'add', 'erin'], cliEnv, `${password}\n`)).toEqual({
        code: 1,
        stdout: '',
        stderr,
      });
      expect((await runCli(['users', 'list'], env)).stdout).not.toContain('erin');
    },
    SLOW,
  );

  it(
    'rotates the signing key in the database the server reads: it signs with the new key and still publishes the old',
    async () => {
      await server?.stop();
      server = undefined;
      expect((await runCli(['users', 'enable', 'carol'], env)).code).toBe(0);
      const rotated = await runCli(['keys', 'rotate'], env);
      expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(SIGNING_WITH) });
      const kid = SIGNING_WITH.exec(rotated.stdout)?.[1];
      server = await startServer(env);
      const kids = await jwksKids(server);
      expect(kids).toHaveLength(2);
      expect(kids[0]).toBe(kid);
      const response = await login('carol:pa:ss:wörd');
      expect(response.status).toBe(200);
      expect(kidOf(((await response.json()) as TokenResponse).access_token)).toBe(kid);
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
