import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TokenResponse } from '@ioauth/contracts';
import { startServer, type ServerProcess } from '@ioauth/test-support';

import { basic, expectError } from './support/http-api.js';

const SLOW = 60_000;
const REFRESH_TOKEN_TTL = 1_209_600;
const CLEARED =
  /^ioauth_refresh=; Path=\/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/;

const cookieEnv = {
  IOAUTH_DEMO: 'true',
  IOAUTH_REFRESH_COOKIE: 'true',
  IOAUTH_LOGIN_IP_LIMIT: '1000',
  IOAUTH_REFRESH_IP_LIMIT: '1000',
};

/** The refresh cookie's `Set-Cookie` of a response, if any. */
const setCookie = (response: Response) =>
  response.headers.getSetCookie().find((line) => line.startsWith('ioauth_refresh='));
const cookieValue = (line: string | undefined) => /^ioauth_refresh=([^;]*)/.exec(line ?? '')?.[1];

function cookieApi(server: () => ServerProcess) {
  const login = async () => {
    const response = await fetch(`${server().url}/auth/login`, {
      method: 'POST',
      headers: { authorization: basic('alice:alice-password') },
    });
    expect(response.status).toBe(200);
    return {
      response,
      tokens: (await response.json()) as TokenResponse,
      cookie: cookieValue(setCookie(response)),
    };
  };
  // What the SDK sends from a page of the API's own origin.
  const fromPage = (cookie: string | undefined, headers: Record<string, string | undefined> = {}) =>
    Object.fromEntries(
      Object.entries({
        'content-type': 'application/json',
        'x-requested-with': 'ioauth',
        origin: server().url,
        'sec-fetch-site': 'same-origin',
        ...(cookie === undefined ? {} : { cookie: `theme=dark; ioauth_refresh=${cookie}` }),
        ...headers,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${server().url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return {
    login,
    fromPage,
    refreshByCookie: (cookie: string | undefined, headers: Record<string, string | undefined> = {}) =>
      post('/auth/token', { grant_type: 'refresh_token' }, fromPage(cookie, headers)),
    revokeByCookie: (cookie: string | undefined, headers: Record<string, string | undefined> = {}) =>
      post('/auth/revoke', {}, fromPage(cookie, headers)),
    refreshByBody: (refreshToken: string) =>
      post(
        '/auth/token',
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { 'content-type': 'application/json' },
      ),
    me: (accessToken: string) =>
      fetch(`${server().url}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } }),
  };
}

describe('the refresh cookie (IOAUTH_REFRESH_COOKIE=true)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(cookieEnv);
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);
  const { login, fromPage, refreshByCookie, revokeByCookie, refreshByBody, me } = cookieApi(() => server);

  it('says so at start-up', () => {
    expect(server.output()).toContain('refresh cookie: on');
  });

  it('comes with every login: HttpOnly, SameSite=Strict, /auth only, until the refresh token expires', async () => {
    const { response, tokens } = await login();
    const line = setCookie(response) ?? '';
    const attributes = line.split('; ');
    expect(attributes[0]).toBe(`ioauth_refresh=${tokens.refresh_token}`);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/auth', 'HttpOnly', 'SameSite=Strict']));
    const maxAge = Number(/Max-Age=(\d+)/.exec(line)?.[1]);
    expect(maxAge).toBeGreaterThan(REFRESH_TOKEN_TTL - 10);
    expect(maxAge).toBeLessThanOrEqual(REFRESH_TOKEN_TTL);
    // Plain http on loopback: a Secure cookie would never come back. No Domain: this host only.
    expect(line).not.toMatch(/Secure|Domain/i);
  });

  it('is Secure for a host that is not loopback', async () => {
    // Node's fetch sends the Host of the URL whatever it is given; node:http sends the one given.
    const cookies = await new Promise<string[]>((resolve, reject) => {
      const sent = httpRequest(`${server.url}/auth/login`, {
        method: 'POST',
        headers: { host: 'auth.example', authorization: basic('alice:alice-password') },
      });
      sent.on('response', (response) => {
        response.resume();
        resolve(response.headers['set-cookie'] ?? []);
      });
      sent.on('error', reject);
      sent.end();
    });
    expect(cookies.find((line) => line.startsWith('ioauth_refresh='))?.split('; ')).toContain('Secure');
  });

  it('refreshes a page’s session from the cookie and sets the next one; the spent one revokes the session', async () => {
    const { tokens, cookie } = await login();
    const refreshed = await refreshByCookie(cookie);
    expect([refreshed.status, refreshed.headers.get('cache-control')]).toEqual([200, 'no-store']);
    const next = (await refreshed.json()) as TokenResponse;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(cookieValue(setCookie(refreshed))).toBe(next.refresh_token);

    const replayed = await refreshByCookie(cookie);
    expect(setCookie(replayed)).toMatch(CLEARED);
    await expectError(replayed, 401, 'refresh_token_reused');
    await expectError(await refreshByCookie(next.refresh_token), 401, 'token_revoked');
  });

  it.each([
    ['without X-Requested-With', { 'x-requested-with': undefined }],
    ['with an empty X-Requested-With', { 'x-requested-with': '' }],
    ['without Origin', { origin: undefined }],
    ['from the opaque origin null', { origin: 'null' }],
    ['from another origin', { origin: 'https://evil.example' }],
    ['from another port of this host', { origin: 'http://127.0.0.1:1' }],
    ['that the browser says is cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a cookie refresh %s with 403 forbidden, and leaves the cookie', async (_case, headers) => {
    const { cookie } = await login();
    const refused = await refreshByCookie(cookie, headers);
    expect(setCookie(refused)).toBeUndefined();
    await expectError(refused, 403, 'forbidden');
    await expectError(await revokeByCookie(cookie, headers), 403, 'forbidden');
    expect((await refreshByCookie(cookie)).status).toBe(200);
  });

  it('answers 400 invalid_request with neither a cookie nor a body token', async () => {
    await expectError(await refreshByCookie(undefined), 400, 'invalid_request');
  });

  it.each([
    ['an unknown token', 'A'.repeat(43), 401, 'invalid_token'],
    ['a malformed token', 'not-a-refresh-token', 400, 'invalid_request'],
  ])('clears a cookie holding %s', async (_case, cookie, status, code) => {
    const refused = await refreshByCookie(cookie);
    expect(setCookie(refused)).toMatch(CLEARED);
    await expectError(refused, status, code);
  });

  it('still takes a refresh token in the body, and moves it into the cookie for a page of its own origin', async () => {
    const { tokens } = await login();
    const refreshed = await fetch(`${server.url}/auth/token`, {
      method: 'POST',
      headers: fromPage(undefined),
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
    });
    const next = (await refreshed.json()) as TokenResponse;
    expect(cookieValue(setCookie(refreshed))).toBe(next.refresh_token);
    expect((await refreshByCookie(next.refresh_token)).status).toBe(200);
  });

  it('refreshes a body token from anywhere else without setting the cookie, so no other site can plant a session', async () => {
    const { tokens } = await login();
    const plain = await refreshByBody(tokens.refresh_token);
    expect([plain.status, setCookie(plain)]).toEqual([200, undefined]);
    const next = (await plain.json()) as TokenResponse;
    // A form another site posts: a top-level navigation may set even a SameSite=Strict cookie.
    const form = await fetch(`${server.url}/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: next.refresh_token,
      }).toString(),
    });
    expect([form.status, setCookie(form)]).toEqual([200, undefined]);
  });

  describe('POST /auth/revoke with the cookie', () => {
    it('ends the cookie’s session and clears the cookie', async () => {
      const { tokens, cookie } = await login();
      const revoked = await revokeByCookie(cookie);
      expect(setCookie(revoked)).toMatch(CLEARED);
      expect([revoked.status, await revoked.json()]).toEqual([200, {}]);
      await expectError(await me(tokens.access_token), 401, 'token_revoked');
      await expectError(await refreshByBody(tokens.refresh_token), 401, 'token_revoked');
    });

    it('answers 200 {} and clears the cookie when it holds nothing live', async () => {
      for (const cookie of [undefined, 'A'.repeat(43)]) {
        const revoked = await revokeByCookie(cookie);
        expect([revoked.status, setCookie(revoked)]).toEqual([200, expect.stringMatching(CLEARED)]);
      }
    });

    it('still takes a token in the body, from any caller (RFC 7009)', async () => {
      const { tokens } = await login();
      const revoked = await fetch(`${server.url}/auth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: tokens.refresh_token }),
      });
      expect(revoked.status).toBe(200);
      await expectError(await me(tokens.access_token), 401, 'token_revoked');
    });
  });

  it('clears the cookie at logout', async () => {
    const { tokens } = await login();
    const response = await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { ...fromPage(undefined), authorization: `Bearer ${tokens.access_token}` },
    });
    expect([response.status, setCookie(response)]).toEqual([204, expect.stringMatching(CLEARED)]);
  });
});

describe('the refresh cookie across a restart', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-e2e-cookie-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, SLOW);
  const api = cookieApi(() => server as ServerProcess);

  it(
    'resumes the session after the server restarts, as a page reload would',
    async () => {
      server = await startServer({ ...cookieEnv, IOAUTH_DATA_DIR: dataDir });
      const { cookie } = await api.login();
      await server.stop();
      server = await startServer({ ...cookieEnv, IOAUTH_DATA_DIR: dataDir });
      const resumed = await api.refreshByCookie(cookie);
      expect(resumed.status).toBe(200);
      const tokens = (await resumed.json()) as TokenResponse;
      expect((await api.me(tokens.access_token)).status).toBe(200);
    },
    SLOW,
  );
});

describe('without cookie mode (the default)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ IOAUTH_DEMO: 'true' });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);
  const { login, refreshByCookie, revokeByCookie } = cookieApi(() => server);

  it('sets no cookie and takes none: the refresh token travels in the body only', async () => {
    const { response, tokens } = await login();
    expect(setCookie(response)).toBeUndefined();
    await expectError(await refreshByCookie(tokens.refresh_token), 400, 'invalid_request');
    await expectError(await revokeByCookie(tokens.refresh_token), 400, 'invalid_request');
    expect(server.output()).not.toContain('refresh cookie');
  });
});
