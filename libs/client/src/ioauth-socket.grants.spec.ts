import type { WhoAmI } from '@ioauth/contracts';

import { IoauthSocket } from './ioauth-socket.js';
import type { IoauthError } from './ioauth.error.js';
import { fakeApi, fakeIo, FakeScheduler, FakeSocket, settle } from './testing/fakes.js';
import { SessionTokens } from './tokens/session-tokens.js';

const NOW_S = 1_800_000_000;
const READER: WhoAmI = { sub: 'alice', scope: 'chat:read', roles: [], exp: NOW_S + 900 };

async function connected(answer?: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi(answer);
  const scheduler = new FakeScheduler();
  const tokens = new SessionTokens({ baseUrl: 'https://auth.example', fetch: api.fetch, scheduler });
  await tokens.login('alice', 'pw');
  const fake = new FakeSocket();
  let whoami: () => unknown = () => READER;
  fake.ackWith = (event) => (event === 'whoami' ? whoami() : { exp: NOW_S + 900 });
  const client = new IoauthSocket({ url: 'https://auth.example/', tokens, io: fakeIo(fake), scheduler });
  const grants: { scope: string[]; roles: string[] }[] = [];
  const unauthorized: IoauthError[] = [];
  client.on('grants', (granted) => grants.push(granted));
  client.on('unauthorized', (error) => unauthorized.push(error));
  client.connect();
  await fake.handshake();
  fake.fire('connect');
  const answerWhoami = (next: () => unknown) => (whoami = next);
  return { api, fake, client, grants, unauthorized, answerWhoami };
}

const events = (fake: FakeSocket) => fake.emitted.map(({ event }) => event);

describe('IoauthSocket when the grants change (auth:expiring reason grants_changed)', () => {
  it('refreshes at once, however far exp is, then reports the grants whoami gives', async () => {
    const { api, fake, grants } = await connected();
    fake.fire('auth:expiring', { exp: NOW_S + 60, reason: 'grants_changed' });
    await settle();
    expect(api.requests.map(({ path }) => path)).toEqual(['/auth/login', '/auth/token']);
    expect(fake.emitted).toEqual([
      { event: 'auth:refresh', payload: { token: 'access-2' } },
      { event: 'whoami', payload: undefined },
    ]);
    expect(grants).toEqual([{ scope: ['chat:read'], roles: [] }]);
  });

  it('reports no scope as an empty list, not [""]', async () => {
    const { fake, grants, answerWhoami } = await connected();
    answerWhoami(() => ({ ...READER, scope: '', roles: ['auditor'] }));
    fake.fire('auth:expiring', { exp: NOW_S + 60, reason: 'grants_changed' });
    await settle();
    expect(grants).toEqual([{ scope: [], roles: ['auditor'] }]);
  });

  it('does not report grants after an ordinary expiry refresh', async () => {
    const { fake, grants } = await connected();
    fake.fire('auth:expiring', { exp: NOW_S + 60 });
    await settle();
    expect(events(fake)).toEqual(['auth:refresh']);
    expect(grants).toEqual([]);
  });

  it('stops with unauthorized, and no grants, when the refresh token is refused', async () => {
    const { fake, client, grants, unauthorized } = await connected((path) =>
      path === '/auth/token'
        ? Response.json({ statusCode: 401, code: 'token_revoked', message: 'revoked' }, { status: 401 })
        : undefined,
    );
    fake.fire('auth:expiring', { exp: NOW_S + 60, reason: 'grants_changed' });
    await settle();
    expect(unauthorized.map((error) => error.code)).toEqual(['token_revoked']);
    expect(client.state).toBe('unauthorized');
    expect(events(fake)).toEqual([]);
    expect(grants).toEqual([]);
  });

  it('stops with unauthorized when the gateway refuses the new token (a namespace the user may no longer use)', async () => {
    const { fake, grants, unauthorized } = await connected();
    fake.ackWith = () => ({ error: { code: 'forbidden', message: 'the token lacks a required role' } });
    fake.fire('auth:expiring', { exp: NOW_S + 60, reason: 'grants_changed' });
    await settle();
    expect(unauthorized.map((error) => error.code)).toEqual(['forbidden']);
    expect(events(fake)).toEqual(['auth:refresh']);
    expect(grants).toEqual([]);
  });

  it('reports the grants after the next connect when whoami got no answer', async () => {
    const { fake, grants, answerWhoami } = await connected();
    answerWhoami(() => {
      throw new Error('operation has timed out');
    });
    fake.fire('auth:expiring', { exp: NOW_S + 60, reason: 'grants_changed' });
    await settle();
    expect(grants).toEqual([]);
    answerWhoami(() => READER);
    fake.fire('disconnect', 'transport close');
    fake.fire('connect');
    await settle();
    expect(grants).toEqual([{ scope: ['chat:read'], roles: [] }]);
    // Once reported, a later reconnect asks no more.
    fake.fire('disconnect', 'transport close');
    fake.fire('connect');
    await settle();
    expect(events(fake).filter((event) => event === 'whoami')).toHaveLength(2);
  });

  it('reports the grants after the next connect when the refresh could not reach the server', async () => {
    let down = true;
    const { fake, grants } = await connected((path) => {
      if (path === '/auth/token' && down) throw new TypeError('fetch failed');
      return undefined;
    });
    fake.fire('auth:expiring', { exp: NOW_S + 60, reason: 'grants_changed' });
    await settle();
    expect(grants).toEqual([]);
    down = false;
    fake.fire('disconnect', 'io server disconnect');
    await fake.handshake();
    fake.fire('connect');
    await settle();
    expect(grants).toEqual([{ scope: ['chat:read'], roles: [] }]);
  });
});
