import { IoauthError } from '../ioauth.error.js';
import { fakeCookieServer, FakeLocks, FakeScheduler } from '../testing/fakes.js';
import { SessionTokens } from './session-tokens.js';

type Server = ReturnType<typeof fakeCookieServer>;

/** A page of the origin (a tab, or the page after a reload): its own SessionTokens on the browser's shared jar. */
function tab(server: Server, scheduler = new FakeScheduler()) {
  return new SessionTokens({
    baseUrl: 'https://auth.example',
    fetch: server.fetch,
    scheduler,
    refreshCookie: true,
  });
}

const bodyOf = (init: RequestInit) => JSON.parse(String(init.body ?? '{}')) as Record<string, unknown>;
const header = (init: RequestInit, name: string) => new Headers(init.headers).get(name);
const error = (status: number, code: string, headers: Record<string, string> = {}) =>
  Response.json({ statusCode: status, code, message: code }, { status, headers });

describe('SessionTokens in cookie mode', () => {
  const navigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  afterEach(() => {
    if (navigator) Object.defineProperty(globalThis, 'navigator', navigator);
    else delete (globalThis as { navigator?: unknown }).navigator;
  });

  describe('login()', () => {
    it('logs in without credentials, then moves the session into the cookie and keeps no refresh token', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      const result = await tokens.login('alice', 'pw');
      const [login, exchange, probe] = server.requests;
      expect(server.requests.map(({ path }) => path)).toEqual(['/auth/login', '/auth/token', '/auth/token']);
      // A 401 Basic challenge under credentials would open the browser's login dialog.
      expect(login?.init.credentials).toBe('omit');
      expect([exchange?.init.credentials, header(exchange?.init ?? {}, 'x-requested-with')]).toEqual([
        'include',
        'ioauth',
      ]);
      expect(bodyOf(exchange?.init ?? {})).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'refresh-1',
      });
      // The cookie is tried once, so that a server keeping none is found out now, not at the first refresh.
      expect(bodyOf(probe?.init ?? {})).toEqual({ grant_type: 'refresh_token' });
      expect(result).not.toHaveProperty('refresh_token');
      expect(result).toMatchObject({ access_token: 'access-3', scope: 'chat:read' });
      expect(server.state.jar).toBe('refresh-3');
      expect(await tokens.accessToken()).toBe('access-3');
    });

    it('keeps the refresh token in memory when the server sets no cookie, and resume() then finds none', async () => {
      const server = fakeCookieServer({ cookieMode: false });
      const tokens = tab(server);
      const result = await tokens.login('alice', 'pw');
      expect(result.refresh_token).toBe('refresh-2');
      expect(await tokens.refresh()).toBe('access-3');
      const refresh = server.requests.at(-1);
      expect(bodyOf(refresh?.init ?? {})).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'refresh-2',
      });
      expect(refresh?.init.credentials).toBe('omit');
      expect(await tab(server).resume()).toBe(false);
    });

    it('keeps the refresh token in memory when the server takes no cookie from this origin (403)', async () => {
      const server = fakeCookieServer();
      server.failWith((path, init) =>
        path === '/auth/token' && !bodyOf(init)['refresh_token'] ? error(403, 'forbidden') : undefined,
      );
      const tokens = tab(server);
      expect((await tokens.login('alice', 'pw')).refresh_token).toBe('refresh-2');
      expect(await tokens.refresh()).toBe('access-3');
    });

    it.each([
      [
        'the cookie try fails with 503',
        (path: string, init: RequestInit) =>
          path === '/auth/token' && !bodyOf(init)['refresh_token']
            ? error(503, 'service_unavailable')
            : undefined,
        'refresh-2',
      ],
      [
        'the exchange cannot reach the server',
        (path: string, init: RequestInit) => {
          if (path === '/auth/token' && bodyOf(init)['refresh_token']) throw new TypeError('fetch failed');
          return undefined;
        },
        'refresh-1',
      ],
    ])('fails the login when %s, and revokes the session it cannot use', async (_case, fail, newest) => {
      const server = fakeCookieServer();
      server.failWith((path, init) => (path === '/auth/revoke' ? undefined : fail(path, init)));
      const tokens = tab(server);
      const failure = await tokens.login('alice', 'pw').catch((reason: unknown) => reason);
      expect(failure).toBeInstanceOf(IoauthError);
      expect(failure).toMatchObject({ code: 'service_unavailable' });
      expect(tokens.active).toBe(false);
      const revoke = server.requests.find(({ path }) => path === '/auth/revoke');
      expect(bodyOf(revoke?.init ?? {})).toEqual({ token: newest });
    });
  });

  describe('resume()', () => {
    it('restores the session after a page reload, through the cookie only', async () => {
      const server = fakeCookieServer();
      await tab(server).login('alice', 'pw');
      const reloaded = tab(server);
      const before = server.requests.length;
      expect(await reloaded.resume()).toBe(true);
      expect(reloaded.active).toBe(true);
      expect(await reloaded.accessToken()).toBe('access-4');
      const [resume] = server.requests.slice(before);
      expect(bodyOf(resume?.init ?? {})).toEqual({ grant_type: 'refresh_token' });
      expect(resume?.init.credentials).toBe('include');
      expect(header(resume?.init ?? {}, 'x-requested-with')).toBe('ioauth');
    });

    it('resolves false without a cookie (400), and with a spent one (401)', async () => {
      const server = fakeCookieServer();
      expect(await tab(server).resume()).toBe(false);
      await tab(server).login('alice', 'pw');
      server.state.jar = 'refresh-1';
      expect(await tab(server).resume()).toBe(false);
      // Presenting a spent token revoked the session, and the server cleared the cookie.
      expect(server.state.jar).toBeUndefined();
    });

    it('resolves false without a request when not in cookie mode', async () => {
      const server = fakeCookieServer();
      const tokens = new SessionTokens({ baseUrl: 'https://auth.example', fetch: server.fetch });
      expect(await tokens.resume()).toBe(false);
      expect(server.requests).toEqual([]);
    });

    it.each([
      [
        'the server cannot be reached',
        () => Promise.reject(new TypeError('fetch failed')),
        'service_unavailable',
        undefined,
      ],
      ['the server fails', () => new Response('bad gateway', { status: 502 }), 'service_unavailable', 502],
      [
        'the server is rate limiting',
        () => error(429, 'rate_limited', { 'retry-after': '7' }),
        'rate_limited',
        429,
      ],
    ])(
      'throws when %s, so that the page can say so instead of asking for a login',
      async (_case, fail, code, status) => {
        const server = fakeCookieServer();
        await tab(server).login('alice', 'pw');
        server.failWith((path) => (path === '/auth/token' ? (fail() as unknown as Response) : undefined));
        const tokens = tab(server);
        const failure = await tokens.resume().catch((reason: unknown) => reason);
        expect(failure).toBeInstanceOf(IoauthError);
        expect(failure).toMatchObject({ code, status });
        // The cookie was not spent: a later try restores the session.
        server.failWith(() => undefined);
        expect(await tokens.resume()).toBe(true);
      },
    );

    it('shares one cookie spend between resume(), refresh() and accessToken() called together', async () => {
      const server = fakeCookieServer();
      await tab(server).login('alice', 'pw');
      const tokens = tab(server);
      const before = server.requests.length;
      const resumed = tokens.resume();
      const [ok] = await Promise.all([resumed, tokens.resume()]);
      expect(ok).toBe(true);
      const [first, second] = await Promise.all([tokens.refresh(), tokens.refresh(), tokens.accessToken()]);
      expect(first).toBe(second);
      expect(server.requests.length - before).toBe(2);
      expect(server.state.revoked).toEqual([]);
    });

    it('does not bring back a session logged out while it was resuming', async () => {
      const server = fakeCookieServer();
      await tab(server).login('alice', 'pw');
      const tokens = tab(server);
      const resumed = tokens.resume();
      await tokens.logout();
      expect(await resumed).toBe(false);
      expect(tokens.active).toBe(false);
      // The logout waited for the spend, and revoked the cookie it left.
      expect(server.state.revoked).toEqual(['refresh-4']);
      expect(await tab(server).resume()).toBe(false);
    });
  });

  describe('refresh()', () => {
    it('spends the cookie, never a refresh token of the page', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      expect(await tokens.refresh()).toBe('access-4');
      const refresh = server.requests.at(-1);
      expect(bodyOf(refresh?.init ?? {})).toEqual({ grant_type: 'refresh_token' });
      expect(refresh?.init.credentials).toBe('include');
    });

    it('ends the session here when the server refuses the cookie', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      server.state.jar = 'refresh-2';
      await expect(tokens.refresh()).rejects.toMatchObject({ code: 'refresh_token_reused', status: 401 });
      expect(tokens.active).toBe(false);
    });

    it('signs a tab out, rather than hand it another user’s tokens, when another tab logged in as someone else', async () => {
      const jwt = (n: number, user: string) =>
        `${btoa('{"alg":"ES256"}')}.${btoa(JSON.stringify({ sub: user, n })).replace(/=+$/, '')}.sig`;
      const server = fakeCookieServer({ accessToken: jwt });
      const alice = tab(server);
      await alice.login('alice', 'pw');
      const bob = tab(server);
      await bob.login('bob', 'pw');
      await expect(alice.refresh()).rejects.toMatchObject({ code: 'invalid_token' });
      expect(alice.active).toBe(false);
      // Bob's session goes on, with the cookie alice's tab spent.
      expect(await bob.refresh()).toBe(jwt(8, 'bob'));
    });

    it('lets tabs refreshing at once take turns (Web Locks), so that none sends a spent cookie', async () => {
      const locks = new FakeLocks();
      Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });
      const server = fakeCookieServer();
      const first = tab(server);
      await first.login('alice', 'pw');
      const second = tab(server);
      expect(await second.resume()).toBe(true);
      const third = tab(server);
      expect(await third.resume()).toBe(true);
      const refreshed = await Promise.all([first.refresh(), second.refresh(), third.refresh()]);
      expect(new Set(refreshed).size).toBe(3);
      expect(server.state.revoked).toEqual([]);
      expect(locks.requested).toBeGreaterThanOrEqual(6);
    });
  });

  describe('logout()', () => {
    it('revokes the cookie’s session with the custom header, and the cookie is gone', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      await tokens.logout();
      const revoke = server.requests.at(-1);
      expect(revoke?.path).toBe('/auth/revoke');
      expect(bodyOf(revoke?.init ?? {})).toEqual({});
      expect([revoke?.init.credentials, header(revoke?.init ?? {}, 'x-requested-with')]).toEqual([
        'include',
        'ioauth',
      ]);
      expect(header(revoke?.init ?? {}, 'authorization')).toBeNull();
      expect(server.state.revoked).toEqual(['refresh-3']);
      expect(tokens.active).toBe(false);
      expect(await tab(server).resume()).toBe(false);
    });

    it('waits for a refresh under way, revokes the cookie it left, and keeps the session forgotten', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      const refreshing = tokens.refresh().catch((reason: unknown) => reason);
      await tokens.logout();
      expect(await refreshing).toMatchObject({ code: 'token_missing' });
      expect(server.state.revoked).toEqual(['refresh-4']);
      expect(tokens.active).toBe(false);
      await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'token_missing' });
    });

    it('resolves after clear() against a server that keeps no cookie, which has no session to end', async () => {
      const server = fakeCookieServer({ cookieMode: false });
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      tokens.clear();
      await tokens.logout();
      expect(server.requests.at(-1)?.path).toBe('/auth/revoke');
    });

    it('rejects when the server did not confirm, so that the page can say the session may live on', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      server.failWith((path) => (path === '/auth/revoke' ? error(503, 'service_unavailable') : undefined));
      await expect(tokens.logout()).rejects.toMatchObject({ code: 'service_unavailable' });
      expect(tokens.active).toBe(false);
    });

    it('ends the cookie’s session even when the page forgot its tokens (clear())', async () => {
      const server = fakeCookieServer();
      const tokens = tab(server);
      await tokens.login('alice', 'pw');
      tokens.clear();
      await tokens.logout();
      expect(server.state.revoked).toEqual(['refresh-3']);
    });
  });
});
