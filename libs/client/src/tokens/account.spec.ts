import type { SessionInfo } from '@ioauth/contracts';

import { IoauthError } from '../ioauth.error.js';
import { fakeApi, FakeScheduler } from '../testing/fakes.js';
import { SessionTokens } from './session-tokens.js';

const SESSIONS: SessionInfo[] = [
  {
    sid: 's-1',
    current: true,
    created_at: '2027-01-15T08:00:00Z',
    last_used_at: '2027-01-15T08:30:00Z',
    expires_at: '2027-02-14T08:00:00Z',
    user_agent: 'Firefox',
    ip: '192.0.2.1',
  },
];

const refused = (status: number, code: string) =>
  Response.json({ statusCode: status, code, message: `refused: ${code}` }, { status });

async function signedIn(answer?: (path: string, init: RequestInit) => Response | undefined) {
  const api = fakeApi((path, init) => {
    if (path === '/auth/login' || path === '/auth/token') return undefined;
    return answer?.(path, init) ?? new Response(null, { status: 204 });
  });
  const scheduler = new FakeScheduler();
  const tokens = new SessionTokens({ baseUrl: 'https://auth.example', fetch: api.fetch, scheduler });
  await tokens.login('alice', 'pw');
  const calls = () => api.requests.filter(({ path }) => !/^\/auth\/(login|token)$/.test(path));
  return { api, scheduler, tokens, calls };
}

const describeCall = ({ path, init }: { path: string; init: RequestInit }) => ({
  method: init.method,
  path,
  authorization: new Headers(init.headers).get('authorization'),
  credentials: init.credentials,
  body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
});

describe('SessionTokens account calls', () => {
  it('lists the sessions with the access token, without credentials', async () => {
    const { tokens, calls } = await signedIn((path) =>
      path === '/auth/sessions' ? Response.json({ sessions: SESSIONS }) : undefined,
    );
    expect(await tokens.sessions()).toEqual(SESSIONS);
    expect(calls().map(describeCall)).toEqual([
      {
        method: 'GET',
        path: '/auth/sessions',
        authorization: 'Bearer access-1',
        credentials: 'omit',
        body: undefined,
      },
    ]);
  });

  it('refreshes an access token about to expire before calling', async () => {
    const { scheduler, tokens, calls } = await signedIn((path) =>
      path === '/auth/sessions' ? Response.json({ sessions: [] }) : undefined,
    );
    scheduler.time += 899_000;
    expect(await tokens.sessions()).toEqual([]);
    expect(calls().map(describeCall)[0]?.authorization).toBe('Bearer access-2');
  });

  it('ends one session by its sid, encoded, and every other one', async () => {
    const { tokens, calls } = await signedIn();
    await tokens.endSession('7f0c/../x?y');
    await tokens.endOtherSessions();
    expect(calls().map(({ path, init }) => `${init.method} ${path}`)).toEqual([
      'DELETE /auth/sessions/7f0c%2F..%2Fx%3Fy',
      'DELETE /auth/sessions',
    ]);
  });

  it.each(['', '.', '..'])(
    'refuses the sid %j without a request: URL resolution would turn it into another route',
    async (sid) => {
      const { tokens, calls } = await signedIn();
      await expect(tokens.endSession(sid)).rejects.toMatchObject({ code: 'invalid_request' });
      expect(calls()).toEqual([]);
    },
  );

  it('reports another user’s or an unknown sid as not_found', async () => {
    const { tokens } = await signedIn(() => refused(404, 'not_found'));
    const failure = await tokens.endSession('s-9').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IoauthError);
    expect(failure).toMatchObject({ code: 'not_found', status: 404 });
  });

  describe('changePassword()', () => {
    it('sends the current and the new password in the body, never in the URL', async () => {
      const { tokens, calls } = await signedIn();
      await tokens.changePassword('old secret', 'a new long secret');
      expect(calls().map(describeCall)).toEqual([
        {
          method: 'POST',
          path: '/auth/password',
          authorization: 'Bearer access-1',
          credentials: 'omit',
          body: { current_password: 'old secret', new_password: 'a new long secret' },
        },
      ]);
    });

    it.each([
      [401, 'invalid_credentials'],
      [400, 'weak_password'],
      [429, 'rate_limited'],
    ])('reports a %i %s, and the session goes on', async (status, code) => {
      const { tokens } = await signedIn(() => refused(status, code));
      await expect(tokens.changePassword('old secret', 'password')).rejects.toMatchObject({ code, status });
      expect(tokens.active).toBe(true);
    });

    it('reports a proxy’s 502 page as service_unavailable', async () => {
      const { tokens } = await signedIn(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
      await expect(tokens.changePassword('a', 'b')).rejects.toMatchObject({ code: 'service_unavailable' });
    });
  });

  it.each([
    ['sessions', (tokens: SessionTokens) => tokens.sessions()],
    ['endOtherSessions', (tokens: SessionTokens) => tokens.endOtherSessions()],
    ['changePassword', (tokens: SessionTokens) => tokens.changePassword('a', 'b')],
  ])('refuses %s when logged out, without a request', async (_name, call) => {
    const { tokens, calls } = await signedIn();
    tokens.clear();
    await expect(call(tokens)).rejects.toMatchObject({ code: 'token_missing' });
    expect(calls()).toEqual([]);
  });

  it('reports a session list that is not JSON as service_unavailable, not a SyntaxError', async () => {
    const { tokens } = await signedIn(() => new Response('<html>', { status: 200 }));
    await expect(tokens.sessions()).rejects.toMatchObject({ code: 'service_unavailable' });
  });
});
