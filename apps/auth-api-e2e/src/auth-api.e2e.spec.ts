import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRemoteJWKSet, jwtVerify } from 'jose';

import type { ErrorBody, TokenResponse } from '@ioauth/contracts';
import {
  createTestDatabase,
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  failedStart,
  runCli,
  startServer,
  type ServerProcess,
} from '@ioauth/test-support';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
const withPostgres = await postgresAvailable();
const withRedis = await redisAvailable();
const stores: [string, () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>][] = [
  ['embedded PGlite', async () => ({ env: {}, drop: async () => undefined })],
];
if (withPostgres) {
  stores.push([
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url }, drop: database.drop };
    },
  ]);
}

describe.each(stores)('auth API on %s', (_store, makeStore) => {
  let server: ServerProcess;
  let dropStore: () => Promise<void>;
  const issued: string[] = [];

  beforeAll(async () => {
    const store = await makeStore();
    dropStore = store.drop;
    // Every request comes from 127.0.0.1: the per-IP limit has its own case below.
    server = await startServer({
      IOAUTH_DEMO: 'true',
      IOAUTH_LOGIN_IP_LIMIT: '1000',
      IOAUTH_METRICS: 'true',
      ...store.env,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dropStore?.();
  }, 60_000);

  const post = (path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', ...init });
  const json = (body: unknown) => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const login = async (user = 'alice', password = `${user}-password`): Promise<TokenResponse> => {
    const response = await post('/auth/login', { headers: { authorization: basic(`${user}:${password}`) } });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenResponse;
    issued.push(tokens.access_token, tokens.refresh_token);
    return tokens;
  };
  const refresh = (refreshToken: string) =>
    post('/auth/token', json({ grant_type: 'refresh_token', refresh_token: refreshToken }));
  const me = (accessToken: string) =>
    fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  const expectError = async (response: Response, statusCode: number, code: string) => {
    expect(response.status).toBe(statusCode);
    expect((await response.json()) as ErrorBody).toEqual({ statusCode, code, message: expect.any(String) });
  };

  describe('POST /auth/login', () => {
    it('answers a token response that is never cached, with an access token the JWKS verifies', async () => {
      const response = await post('/auth/login', {
        headers: { authorization: basic('alice:alice-password') },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const tokens = (await response.json()) as TokenResponse;
      issued.push(tokens.access_token, tokens.refresh_token);
      expect(tokens).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        scope: 'chat:read chat:write',
      });
      const { payload, protectedHeader } = await jwtVerify(
        tokens.access_token,
        createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)),
        { issuer: 'ioauth', audience: 'ioauth', typ: 'at+jwt' },
      );
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload).toMatchObject({ sub: 'alice', scope: 'chat:read chat:write', roles: [] });
    });

    it('accepts the username in any case (usernames are case-insensitive)', async () => {
      const response = await post('/auth/login', {
        headers: { authorization: basic('ALICE:alice-password') },
      });
      expect(response.status).toBe(200);
    });

    it.each([
      ['a wrong password', { authorization: basic('alice:wrong') }],
      ['an unknown user', { authorization: basic('mallory:alice-password') }],
      ['no Authorization header', {}],
      ['a Bearer header', { authorization: 'Bearer abc' }],
      ['garbage base64', { authorization: 'Basic %%%' }],
      ['no colon', { authorization: basic('alicealice-password') }],
      ['an empty password', { authorization: basic('alice:') }],
      ['a huge header', { authorization: `Basic ${'QUFB'.repeat(2000)}` }],
    ])('refuses %s with 401 invalid_credentials and a Basic challenge', async (_case, headers) => {
      const response = await post('/auth/login', { headers });
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="ioauth", charset="UTF-8"');
      await expectError(response, 401, 'invalid_credentials');
    });
  });

  it('refuses a username with 429 and Retry-After after 10 failures, even with the right password', async () => {
    const attempt = (password: string) =>
      post('/auth/login', { headers: { authorization: basic(`bob:${password}`) } });
    for (let i = 0; i < 10; i += 1) expect((await attempt('wrong')).status).toBe(401);
    const refused = await attempt('bob-password');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(refused, 429, 'rate_limited');
    expect(
      (await post('/auth/login', { headers: { authorization: basic('alice:alice-password') } })).status,
    ).toBe(200);
  });

  describe('POST /auth/token', () => {
    it('rotates: a new pair, and the spent refresh token revokes the session when it comes back', async () => {
      const first = await login();
      const rotated = await refresh(first.refresh_token);
      expect(rotated.status).toBe(200);
      expect(rotated.headers.get('cache-control')).toBe('no-store');
      const second = (await rotated.json()) as TokenResponse;
      issued.push(second.access_token, second.refresh_token);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect((await me(second.access_token)).status).toBe(200);

      await expectError(await refresh(first.refresh_token), 401, 'refresh_token_reused');
      await expectError(await refresh(second.refresh_token), 401, 'token_revoked');
      await expectError(await me(second.access_token), 401, 'token_revoked');
    });

    it('lets at most one of two concurrent refreshes of one token win', async () => {
      const { refresh_token: token } = await login();
      const statuses = (await Promise.all([refresh(token), refresh(token)])).map(
        (response) => response.status,
      );
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
    });

    it('refuses an unknown refresh token', async () => {
      await expectError(await refresh('A'.repeat(43)), 401, 'invalid_token');
    });

    it.each([
      ['no body', {}],
      ['another grant type', json({ grant_type: 'password', username: 'alice', password: 'alice-password' })],
      ['no refresh token', json({ grant_type: 'refresh_token' })],
      ['a refresh token that is a number', json({ grant_type: 'refresh_token', refresh_token: 42 })],
      ['a malformed refresh token', json({ grant_type: 'refresh_token', refresh_token: 'short' })],
      ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"grant_type":' }],
      ['a JSON array', json([1, 2])],
      ['a 64 KiB body', json({ grant_type: 'refresh_token', refresh_token: 'x'.repeat(65_536) })],
    ])('refuses %s with 400 invalid_request', async (_case, init) => {
      await expectError(await post('/auth/token', init), 400, 'invalid_request');
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the session: its access token and refresh token stop working', async () => {
      const tokens = await login();
      const response = await post('/auth/logout', {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(response.status).toBe(204);
      await expectError(await me(tokens.access_token), 401, 'token_revoked');
      await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
    });

    it('needs an access token', async () => {
      await expectError(await post('/auth/logout'), 401, 'invalid_token');
    });
  });

  describe('GET /auth/me', () => {
    it('answers who the token is for', async () => {
      const tokens = await login('admin');
      const response = await me(tokens.access_token);
      expect(await response.json()).toEqual({
        sub: 'admin',
        scope: '',
        roles: ['admin'],
        exp: expect.any(Number),
        sid: expect.any(String),
      });
    });

    it.each([
      ['no token', undefined],
      ['a garbage token', 'Bearer not-a-jwt'],
      ['a Basic header', basic('alice:alice-password')],
    ])('refuses %s with 401 invalid_token and a Bearer challenge', async (_case, authorization) => {
      const response = await fetch(`${server.url}/auth/me`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="ioauth", error="invalid_token"');
      await expectError(response, 401, 'invalid_token');
    });
  });

  describe('GET /health/live, GET /health/ready', () => {
    it('reports the process alive and the database ready', async () => {
      expect(await (await fetch(`${server.url}/health/live`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });
  });

  describe('GET /metrics', () => {
    it('counts logins by result, refreshes by outcome and revocations', async () => {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/^ioauth_logins_total\{result="success"\} [1-9]/m);
      expect(text).toMatch(/^ioauth_logins_total\{result="failure"\} [1-9]/m);
      expect(text).toMatch(/^ioauth_refreshes_total\{outcome="reused"\} [1-9]/m);
      expect(text).toMatch(/^ioauth_revocations_total\{kind="session",reason="logout"\} [1-9]/m);
    });
  });

  it('answers an unknown route with a contract error body', async () => {
    await expectError(await fetch(`${server.url}/nope`), 404, 'not_found');
  });

  it('never writes a password or a token to its logs', () => {
    const logs = server.output();
    expect(logs).toContain('login.succeeded');
    for (const secret of ['alice-password', 'admin-password', ...issued]) expect(logs).not.toContain(secret);
  });
});

(withPostgres && withRedis ? describe : describe.skip)('two processes over PostgreSQL and Redis', () => {
  const servers: ServerProcess[] = [];
  let dropDatabase: () => Promise<void>;
  let env: Record<string, string>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    // One database and one Redis, and no configured key: the processes must agree on the generated one.
    env = {
      IOAUTH_DEMO: 'true',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      IOAUTH_LOGIN_USER_LIMIT: '3',
      // Every request comes from 127.0.0.1, and the rotation case logs in until it sees the new key.
      IOAUTH_LOGIN_IP_LIMIT: '1000',
      // The issuer namespaces the Redis keys and channels: this run shares nothing with earlier ones.
      IOAUTH_ISSUER: `https://e2e-${randomBytes(6).toString('hex')}.ioauth.test`,
    };
    // Started together, so that both race to migrate the database and to save the first key.
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await dropDatabase?.();
  }, 60_000);

  const login = (server: ServerProcess, userPass: string) =>
    fetch(`${server.url}/auth/login`, { method: 'POST', headers: { authorization: basic(userPass) } });
  const accessToken = async (server: ServerProcess) => {
    const response = await login(server, 'alice:alice-password');
    expect(response.status).toBe(200);
    return ((await response.json()) as TokenResponse).access_token;
  };
  const kidOf = (token: string): unknown =>
    JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid;
  const kidsOf = async (server: ServerProcess) =>
    (
      (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
    ).keys.map((key) => key.kid);
  const me = (server: ServerProcess, token: string) =>
    fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });

  it('agrees on one generated signing key: the same JWKS, and a token from one verifies on the other', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const kids = await kidsOf(a);
    expect(kids).toHaveLength(1);
    expect(await kidsOf(b)).toEqual(kids);
    const [fromA, fromB] = [await accessToken(a), await accessToken(b)];
    expect([kidOf(fromA), kidOf(fromB)]).toEqual([kids[0], kids[0]]);
    expect((await me(b, fromA)).status).toBe(200);
    expect((await me(a, fromB)).status).toBe(200);
  });

  it('refuses on one process an access token whose session was logged out on the other', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const token = await accessToken(a);
    expect((await me(b, token)).status).toBe(200);
    const logout = await fetch(`${a.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.status).toBe(204);
    // The revocation travels over Redis: poll on the event's effect, bounded, instead of sleeping.
    const deadline = Date.now() + 2_000;
    let response = await me(b, token);
    while (response.status === 200 && Date.now() < deadline) response = await me(b, token);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).code).toBe('token_revoked');
  });

  it('shares the per-username failure limit between processes', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    expect((await login(a, 'bob:wrong')).status).toBe(401);
    expect((await login(b, 'bob:wrong')).status).toBe(401);
    expect((await login(a, 'bob:wrong')).status).toBe(401);
    expect((await login(b, 'bob:bob-password')).status).toBe(429);
  });

  it('signs with the new key on every process after `keys rotate` from the CLI, and still accepts the old key', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const [oldKid] = await kidsOf(a);
    const signedBefore = await accessToken(b);
    const cliDataDir = await mkdtemp(join(tmpdir(), 'ioauth-e2e-cli-'));
    try {
      const rotated = await runCli(['keys', 'rotate'], { ...env, IOAUTH_DATA_DIR: cliDataDir });
      expect(rotated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^signing with [\w-]{43}\n$/) });
      const newKid = rotated.stdout.trim().split(' ').at(-1);
      expect(newKid).not.toBe(oldKid);
      // The rotation is announced over Redis: poll on its effect, bounded, instead of sleeping.
      for (const server of [a, b]) {
        const deadline = Date.now() + 5_000;
        let kid = kidOf(await accessToken(server));
        while (kid !== newKid && Date.now() < deadline) kid = kidOf(await accessToken(server));
        expect(kid).toBe(newKid);
      }
      expect(await kidsOf(a)).toEqual([newKid, oldKid]);
      expect(await kidsOf(b)).toEqual([newKid, oldKid]);
      expect((await me(a, signedBefore)).status).toBe(200);
      expect((await me(b, signedBefore)).status).toBe(200);
    } finally {
      await rm(cliDataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm run start:api (the HTTP API alone)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({}, 'auth-api');
  }, 60_000);
  afterAll(() => server?.stop(), 60_000);

  it('serves the API with demo mode off: no demo user exists', async () => {
    expect((await fetch(`${server.url}/.well-known/jwks.json`)).status).toBe(200);
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { authorization: basic('alice:alice-password') },
    });
    expect(login.status).toBe(401);
    expect(server.output()).not.toContain('demo mode');
  });
});

describe('per-IP login limit', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ IOAUTH_DEMO: 'true', IOAUTH_LOGIN_IP_LIMIT: '3' });
  }, 60_000);
  afterAll(() => server?.stop(), 60_000);

  it('answers 429 rate_limited with Retry-After past the limit, before checking any password', async () => {
    const login = () =>
      fetch(`${server.url}/auth/login`, {
        method: 'POST',
        headers: { authorization: basic('alice:alice-password') },
      });
    for (let i = 0; i < 3; i += 1) expect((await login()).status).toBe(200);
    const refused = await login();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      statusCode: 429,
      code: 'rate_limited',
      message: expect.any(String),
    });
  });
});

describe('start-up configuration', () => {
  it('stops on a bad value, naming the variable and never echoing a secret', async () => {
    const { code, output } = await failedStart({
      IOAUTH_ACCESS_TOKEN_TTL: 'soon',
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: 'too-short-secret-value',
    });
    expect(code).toBe(1);
    expect(output).toContain('IOAUTH_ACCESS_TOKEN_TTL');
    expect(output).toContain('IOAUTH_JWT_SECRET');
    expect(output).not.toContain('too-short-secret-value');
  }, 30_000);
});
