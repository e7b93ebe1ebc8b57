import { IoauthError } from '../ioauth.error.js';
import { fakeApi, FakeScheduler } from '../testing/fakes.js';
import { SessionTokens } from './session-tokens.js';

function session(answer?: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi(answer);
  const scheduler = new FakeScheduler();
  const tokens = new SessionTokens({ baseUrl: 'https://auth.example', fetch: api.fetch, scheduler });
  return { api, scheduler, tokens };
}

describe('SessionTokens', () => {
  it('logs in with HTTP Basic, UTF-8 encoded, colons in the password included', async () => {
    const { api, tokens } = session();
    await tokens.login('zoë', 'pa:ss');
    const header = new Headers(api.requests[0]?.init.headers).get('authorization') ?? '';
    expect(api.requests[0]?.path).toBe('/auth/login');
    expect(Buffer.from(header.replace('Basic ', ''), 'base64').toString('utf8')).toBe('zoë:pa:ss');
  });

  it('returns the current token while it is fresh, and refreshes within 30 s of exp', async () => {
    const { api, scheduler, tokens } = session();
    await tokens.login('alice', 'pw');
    expect(await tokens.accessToken()).toBe('access-1');
    scheduler.time += (900 - 31) * 1000;
    expect(await tokens.accessToken()).toBe('access-1');
    scheduler.time += 2_000;
    expect(await tokens.accessToken()).toBe('access-2');
    expect(JSON.parse(String(api.requests[1]?.init.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
    });
  });

  it('shares one refresh between concurrent callers (a refresh token is single-use)', async () => {
    const { api, tokens } = session();
    await tokens.login('alice', 'pw');
    const results = await Promise.all([tokens.refresh(), tokens.refresh(), tokens.refresh()]);
    expect(results).toEqual(['access-2', 'access-2', 'access-2']);
    expect(api.requests.filter((request) => request.path === '/auth/token')).toHaveLength(1);
  });

  it('ends the session when the server refuses the refresh token', async () => {
    const { tokens } = session((path) =>
      path === '/auth/token'
        ? Response.json({ statusCode: 401, code: 'refresh_token_reused', message: 'reused' }, { status: 401 })
        : undefined,
    );
    await tokens.login('alice', 'pw');
    await expect(tokens.refresh()).rejects.toMatchObject({ code: 'refresh_token_reused', status: 401 });
    expect(tokens.active).toBe(false);
    await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'token_missing' });
  });

  it('keeps the session through a network failure, to try again', async () => {
    let down = true;
    const { tokens } = session((path) => {
      if (path === '/auth/token' && down) throw new TypeError('fetch failed');
      return undefined;
    });
    await tokens.login('alice', 'pw');
    const failure = await tokens.refresh().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IoauthError);
    expect(failure).toMatchObject({ code: 'service_unavailable' });
    down = false;
    expect(await tokens.refresh()).toBe('access-2');
  });

  it('keeps the session when a refresh is rate limited, to try again once the limit lifts', async () => {
    let limited = true;
    const { tokens } = session((path) =>
      path === '/auth/token' && limited
        ? Response.json(
            { statusCode: 429, code: 'rate_limited', message: 'later' },
            { status: 429, headers: { 'retry-after': '3' } },
          )
        : undefined,
    );
    await tokens.login('alice', 'pw');
    await expect(tokens.refresh()).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 3 });
    expect(tokens.active).toBe(true);
    limited = false;
    expect(await tokens.refresh()).toBe('access-2');
  });

  it('reports a wrong password with the contract code', async () => {
    const { tokens } = session(() =>
      Response.json({ statusCode: 401, code: 'invalid_credentials', message: 'no' }, { status: 401 }),
    );
    await expect(tokens.login('alice', 'wrong')).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  describe('logout()', () => {
    it('revokes the refresh token on the server (RFC 7009), with no access token, and forgets the tokens', async () => {
      const { api, tokens } = session();
      await tokens.login('alice', 'pw');
      await tokens.logout();
      expect(api.requests[1]?.path).toBe('/auth/revoke');
      expect(api.requests[1]?.init.method).toBe('POST');
      expect(JSON.parse(String(api.requests[1]?.init.body))).toEqual({ token: 'refresh-1' });
      expect(new Headers(api.requests[1]?.init.headers).get('authorization')).toBeNull();
      expect(tokens.active).toBe(false);
    });

    it('works after the access token expired, without refreshing first', async () => {
      const { api, scheduler, tokens } = session();
      await tokens.login('alice', 'pw');
      scheduler.time += 3600_000;
      await tokens.logout();
      expect(api.requests.map((request) => request.path)).toEqual(['/auth/login', '/auth/revoke']);
    });

    it.each([
      [
        'the server cannot be reached',
        () => Promise.reject(new TypeError('fetch failed')),
        'service_unavailable',
      ],
      [
        'the server fails',
        () => Response.json({ statusCode: 503, code: 'service_unavailable', message: 'x' }, { status: 503 }),
        'service_unavailable',
      ],
      [
        'a proxy answers 502 without a body',
        () => new Response('bad gateway', { status: 502 }),
        'service_unavailable',
      ],
      [
        'the server is rate limiting',
        () =>
          Response.json(
            { statusCode: 429, code: 'rate_limited', message: 'later' },
            { status: 429, headers: { 'retry-after': '30' } },
          ),
        'rate_limited',
      ],
    ])(
      'rejects with an IoauthError when %s, and forgets the tokens all the same',
      async (_case, fail, code) => {
        // A promise where the fake expects a response: the fake fetch hands it on, as a real fetch settles.
        const { tokens } = session((path) =>
          path === '/auth/revoke' ? (fail() as unknown as Response) : undefined,
        );
        await tokens.login('alice', 'pw');
        const failure = await tokens.logout().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(IoauthError);
        expect(failure).toMatchObject({ code });
        expect(tokens.active).toBe(false);
      },
    );

    it('keeps the tokens forgotten when a refresh under way answers after the logout', async () => {
      let answerRefresh: (response: Response) => void = () => undefined;
      const { tokens } = session((path) =>
        path === '/auth/token'
          ? (new Promise<Response>((resolve) => (answerRefresh = resolve)) as unknown as Response)
          : undefined,
      );
      await tokens.login('alice', 'pw');
      const refreshing = tokens.refresh().catch((error: unknown) => error);
      await tokens.logout();
      answerRefresh(
        Response.json({
          access_token: 'late',
          token_type: 'Bearer',
          expires_in: 900,
          refresh_token: 'r',
          scope: '',
        }),
      );
      expect(await refreshing).toMatchObject({ code: 'token_missing' });
      expect(tokens.active).toBe(false);
      await expect(tokens.accessToken()).rejects.toMatchObject({ code: 'token_missing' });
    });

    it('resolves without a request when there is no session', async () => {
      const { api, tokens } = session();
      await tokens.logout();
      expect(api.requests).toEqual([]);
    });
  });

  it('fetches without credentials, so a 401 Basic challenge cannot open the browser’s login dialog', async () => {
    const { api, tokens } = session();
    await tokens.login('alice', 'pw');
    expect(api.requests[0]?.init.credentials).toBe('omit');
  });

  it('reports Retry-After of a rate-limited login', async () => {
    const { tokens } = session(() =>
      Response.json(
        { statusCode: 429, code: 'rate_limited', message: 'later' },
        { status: 429, headers: { 'retry-after': '42' } },
      ),
    );
    await expect(tokens.login('alice', 'pw')).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 42 });
  });

  it('tells listeners when the tokens change, and forgets them on clear()', async () => {
    const { scheduler, tokens } = session();
    const changes: (number | undefined)[] = [];
    tokens.on('change', (expiresAt) => changes.push(expiresAt));
    await tokens.login('alice', 'pw');
    await tokens.refresh();
    tokens.clear();
    expect(changes).toEqual([scheduler.time + 900_000, scheduler.time + 900_000, undefined]);
    expect(tokens.active).toBe(false);
  });
});
