import type { ConnectionState } from './ioauth-socket.js';
import { IoauthSocket } from './ioauth-socket.js';
import type { IoauthError } from './ioauth.error.js';
import { fakeApi, fakeIo, FakeScheduler, FakeSocket, settle } from './testing/fakes.js';
import { SessionTokens } from './tokens/session-tokens.js';

async function connected(answer?: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi(answer);
  const scheduler = new FakeScheduler();
  const tokens = new SessionTokens({ baseUrl: 'https://auth.example', fetch: api.fetch, scheduler });
  await tokens.login('alice', 'pw');
  const fake = new FakeSocket();
  const client = new IoauthSocket({ url: 'https://auth.example/', tokens, io: fakeIo(fake), scheduler });
  const states: ConnectionState[] = [];
  const unauthorized: IoauthError[] = [];
  client.on('state', (state) => states.push(state));
  client.on('unauthorized', (error) => unauthorized.push(error));
  client.connect();
  expect(await fake.handshake()).toEqual({ token: 'access-1' });
  fake.fire('connect');
  return { api, scheduler, tokens, fake, client, states, unauthorized };
}

describe('IoauthSocket', () => {
  it('asks for a fresh token on every reconnect, so a restart never replays an expired one', async () => {
    const { scheduler, fake } = await connected();
    fake.fire('disconnect', 'transport close');
    scheduler.time += 900_000;
    expect(await fake.handshake()).toEqual({ token: 'access-2' });
  });

  it('refreshes on auth:expiring and sends the new token in-band', async () => {
    const { fake, client } = await connected();
    fake.ackWith = () => ({ exp: 1_800_000_900 });
    const refreshed: number[] = [];
    client.on('refreshed', ({ exp }) => refreshed.push(exp));
    fake.fire('auth:expiring', { exp: 1_800_000_000 });
    await settle();
    expect(fake.emitted).toEqual([{ event: 'auth:refresh', payload: { token: 'access-2' } }]);
    expect(refreshed).toEqual([1_800_000_900]);
    expect(client.state).toBe('connected');
  });

  it('refreshes and reconnects after auth:error token_expired', async () => {
    const { api, scheduler, fake } = await connected();
    fake.fire('auth:error', { code: 'token_expired' });
    fake.fire('disconnect', 'io server disconnect');
    await settle();
    await scheduler.advance(0);
    expect(api.requests.filter((request) => request.path === '/auth/token')).toHaveLength(1);
    expect(fake.connects).toBe(2);
    expect(await fake.handshake()).toEqual({ token: 'access-2' });
  });

  it('stops on auth:error token_revoked and never reconnects', async () => {
    const { scheduler, fake, client, unauthorized } = await connected();
    fake.fire('auth:error', { code: 'token_revoked', message: 'revoked' });
    fake.fire('disconnect', 'io server disconnect');
    await scheduler.advance(120_000);
    expect(unauthorized.map((error) => error.code)).toEqual(['token_revoked']);
    expect(client.state).toBe('unauthorized');
    expect(fake.connects).toBe(1);
  });

  it('stops when the refresh token is refused during an in-band refresh', async () => {
    const { fake, unauthorized } = await connected((path) =>
      path === '/auth/token'
        ? Response.json({ statusCode: 401, code: 'refresh_token_reused', message: 'r' }, { status: 401 })
        : undefined,
    );
    fake.fire('auth:expiring', { exp: 1 });
    await settle();
    expect(unauthorized.map((error) => error.code)).toEqual(['refresh_token_reused']);
    expect(fake.emitted).toEqual([]);
  });

  it('retries a rate-limited handshake with jittered, growing backoff', async () => {
    const { scheduler, fake } = await connected();
    fake.fire(
      'connect_error',
      Object.assign(new Error('slow down'), { data: { code: 'rate_limited', message: 'x' } }),
    );
    const [first] = scheduler.pending();
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThanOrEqual(1_500);
    await scheduler.advance(first ?? 0);
    expect(fake.connects).toBe(2);
    fake.fire(
      'connect_error',
      Object.assign(new Error('slow down'), { data: { code: 'rate_limited', message: 'x' } }),
    );
    const [second] = scheduler.pending();
    expect(second).toBeGreaterThanOrEqual(1_000);
    expect(second).toBeLessThanOrEqual(3_000);
  });

  it('comes back after the longest backoff when closed for going over its event budget', async () => {
    const { scheduler, fake, unauthorized } = await connected();
    fake.fire('auth:error', { code: 'rate_limited', message: 'too many events' });
    fake.fire('disconnect', 'io server disconnect');
    expect(scheduler.pending()).toEqual([30_000]);
    await scheduler.advance(30_000);
    expect(fake.connects).toBe(2);
    expect(unauthorized).toEqual([]);
  });

  it.each(['token_invalid', 'token_revoked', 'forbidden', 'token_missing'])(
    'stops on a handshake refused with %s',
    async (code) => {
      const { scheduler, fake, unauthorized } = await connected();
      fake.fire('connect_error', Object.assign(new Error(code), { data: { code, message: code } }));
      await scheduler.advance(120_000);
      expect(unauthorized.map((error) => error.code)).toEqual([code]);
      expect(fake.connects).toBe(1);
    },
  );

  it('leaves transport failures to socket.io’s own reconnection', async () => {
    const { fake, client } = await connected();
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(client.state).toBe('reconnecting');
    expect(fake.connects).toBe(1);
  });
});
