import type { Socket } from 'socket.io-client';

import type { ErrorBody, TokenResponse } from '@ioauth/contracts';
import { connectSocket, startServer, waitFor, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const REFRESH_IP_LIMIT = 5;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

// Every request comes from 127.0.0.1; with the proxy on loopback trusted, X-Forwarded-For names the client, so each
// request gets an address of its own unless a case is about one client's count.
let nextClient = 1;
const anotherClient = () => `198.51.100.${nextClient++}`;

function api(server: () => ServerProcess) {
  const post = (
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
    client?: string,
  ) =>
    fetch(`${server().url}${path}`, {
      method: 'POST',
      ...init,
      headers: { 'x-forwarded-for': client ?? anotherClient(), ...init.headers },
    });
  const json = (body: unknown) => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    post,
    json,
    login: async (): Promise<TokenResponse> => {
      const response = await post('/auth/login', {
        headers: { authorization: basic('alice:alice-password') },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as TokenResponse;
    },
    revoke: (token: unknown, client?: string) => post('/auth/revoke', json({ token }), client),
    refresh: (refreshToken: string, client?: string) =>
      post('/auth/token', json({ grant_type: 'refresh_token', refresh_token: refreshToken }), client),
    me: (accessToken: string) =>
      fetch(`${server().url}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } }),
  };
}

async function expectError(response: Response, statusCode: number, code: string): Promise<void> {
  expect(response.status).toBe(statusCode);
  expect((await response.json()) as ErrorBody).toEqual({ statusCode, code, message: expect.any(String) });
}

async function expectRevokeAnswer(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({});
}

const serverEnv = {
  IOAUTH_DEMO: 'true',
  IOAUTH_TRUST_PROXY: 'loopback',
  IOAUTH_LOGIN_IP_LIMIT: '1000',
  IOAUTH_REFRESH_IP_LIMIT: String(REFRESH_IP_LIMIT),
};

describe('POST /auth/revoke', () => {
  let server: ServerProcess;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = await startServer(serverEnv);
  }, SLOW);
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => server?.stop(), SLOW);
  const { post, json, login, revoke, refresh, me } = api(() => server);

  it('ends the session of a refresh token: the refresh token and the access token stop working, the socket closes', async () => {
    const tokens = await login();
    const socket = await connectSocket(`${server.url}/`, { auth: { token: tokens.access_token } });
    sockets.push(socket);
    const told = waitFor<{ code: string }>(socket, 'auth:error');
    const disconnected = waitFor(socket, 'disconnect');

    await expectRevokeAnswer(await revoke(tokens.refresh_token));
    expect(await told).toMatchObject({ code: 'token_revoked' });
    await disconnected;
    await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
    await expectError(await me(tokens.access_token), 401, 'token_revoked');
  });

  it('takes a form body with token_type_hint, as RFC 7009 section 2.1 specifies', async () => {
    const tokens = await login();
    const form = new URLSearchParams({ token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    const response = await post('/auth/revoke', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    await expectRevokeAnswer(response);
    await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
  });

  it('ends the session when given a refresh token already spent by rotation', async () => {
    const first = await login();
    const rotated = await refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as TokenResponse;
    await expectRevokeAnswer(await revoke(first.refresh_token));
    await expectError(await refresh(second.refresh_token), 401, 'token_revoked');
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['a malformed token', 'not-a-refresh-token'],
    ['an empty token', ''],
    ['an access token', 'header.payload.signature'],
  ])('answers 200 {} for %s (RFC 7009 section 2.2)', async (_case, token) => {
    await expectRevokeAnswer(await revoke(token));
  });

  it('answers 200 {} for a token revoked before, and revokes nothing else', async () => {
    const other = await login();
    const tokens = await login();
    await expectRevokeAnswer(await revoke(tokens.refresh_token));
    await expectRevokeAnswer(await revoke(tokens.refresh_token));
    expect((await me(other.access_token)).status).toBe(200);
  });

  it.each([
    ['no body', {}],
    ['no token', json({ token_type_hint: 'refresh_token' })],
    ['a token that is a number', json({ token: 42 })],
    ['a token that is an object', json({ token: { value: 'x' } })],
    ['a token_type_hint that is not text', json({ token: 'A'.repeat(43), token_type_hint: 7 })],
    ['a JSON array', json(['A'.repeat(43)])],
    ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"token":' }],
  ])('refuses %s with 400 invalid_request', async (_case, init) => {
    await expectError(await post('/auth/revoke', init), 400, 'invalid_request');
  });
});

describe('POST /auth/revoke after the access token expired', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    // One-second access tokens, no leeway: the access token is dead within a second or two of the login.
    server = await startServer({ ...serverEnv, IOAUTH_ACCESS_TOKEN_TTL: '1', IOAUTH_CLOCK_TOLERANCE: '0' });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);
  const { post, login, revoke, refresh, me } = api(() => server);

  it(
    'still ends the session: an expired access token never keeps a session alive',
    async () => {
      const tokens = await login();
      // Bounded polling on the server's own answer rather than a fixed sleep.
      const deadline = Date.now() + 10_000;
      let answer = await me(tokens.access_token);
      while (answer.status === 200 && Date.now() < deadline) answer = await me(tokens.access_token);
      await expectError(answer, 401, 'token_expired');
      await expectError(
        await post('/auth/logout', { headers: { authorization: `Bearer ${tokens.access_token}` } }),
        401,
        'token_expired',
      );

      await expectRevokeAnswer(await revoke(tokens.refresh_token));
      await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
    },
    SLOW,
  );
});

describe('refresh-grant limit per client IP', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(serverEnv);
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);
  const { revoke, refresh } = api(() => server);

  it(`answers 429 rate_limited with Retry-After past ${REFRESH_IP_LIMIT} a minute, for /auth/token and /auth/revoke together`, async () => {
    const client = '203.0.113.50';
    for (let i = 0; i < REFRESH_IP_LIMIT - 1; i += 1)
      await expectError(await refresh('A'.repeat(43), client), 401, 'invalid_token');
    expect((await revoke('A'.repeat(43), client)).status).toBe(200);

    const refused = await refresh('A'.repeat(43), client);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(refused, 429, 'rate_limited');
    await expectError(await revoke('A'.repeat(43), client), 429, 'rate_limited');
    // Another client has a count of its own.
    await expectError(await refresh('A'.repeat(43), '203.0.113.51'), 401, 'invalid_token');
  });

  it('counts malformed requests too, before any validation or database work', async () => {
    const client = '203.0.113.60';
    for (let i = 0; i < REFRESH_IP_LIMIT; i += 1)
      await expectError(await refresh('short', client), 400, 'invalid_request');
    await expectError(await refresh('short', client), 429, 'rate_limited');
  });
});
