import type { Socket } from 'socket.io-client';

import { IoauthSocket, SessionTokens, type ConnectionState } from '@ioauth/client';
import type { WhoAmI } from '@ioauth/contracts';
import { connectSocket, startServer, waitFor, type ServerProcess } from '@ioauth/test-support';

import { login, logout, mint, refresh, SECRET } from './fixtures.js';

const SLOW = 60_000;
const TTL = 3;

// Real time, short lifetimes: a 3 s access token gets `auth:expiring` 1 s ahead of `exp` (a third of its life).
describe('live token lifecycle', () => {
  let server: ServerProcess;
  const open: Socket[] = [];

  beforeAll(async () => {
    server = await startServer({
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: SECRET,
      IOAUTH_ACCESS_TOKEN_TTL: `${TTL}`,
      IOAUTH_CLOCK_TOLERANCE: '0',
      IOAUTH_LOGIN_IP_LIMIT: '1000',
    });
  }, SLOW);
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server?.stop();
  }, SLOW);

  const connect = async (token: string, namespace = '/') => {
    const socket = await connectSocket(`${server.url}${namespace}`, { auth: { token } });
    open.push(socket);
    return socket;
  };

  it(
    'keeps a socket open past its first exp through auth:expiring and auth:refresh, then closes it at exp',
    async () => {
      const first = await login(server.url, 'alice');
      const socket = await connect(first.access_token);
      const { exp: firstExp } = await waitFor<{ exp: number }>(socket, 'auth:expiring', 5_000);
      const warnedAt = Date.now() / 1000;
      expect(firstExp - warnedAt).toBeGreaterThan(0);
      expect(firstExp - warnedAt).toBeLessThanOrEqual(1.2);

      const second = await refresh(server.url, first.refresh_token);
      const ack = (await socket.emitWithAck('auth:refresh', { token: second.access_token })) as {
        exp: number;
      };
      expect(ack.exp).toBeGreaterThanOrEqual(firstExp);

      // The next warning comes for the new token only, after the first token's exp: the socket outlived it.
      const { exp: secondExp } = await waitFor<{ exp: number }>(socket, 'auth:expiring', 5_000);
      expect(secondExp).toBe(ack.exp);
      expect(Date.now() / 1000).toBeGreaterThan(firstExp);
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).exp).toBe(secondExp);

      // No refresh this time: auth:error token_expired, then the server closes the socket at exp.
      const error = waitFor(socket, 'auth:error', 5_000);
      const closed = waitFor<string>(socket, 'disconnect', 5_000);
      expect(await error).toEqual({ code: 'token_expired', message: expect.any(String) });
      const closedAt = Date.now() / 1000;
      expect(await closed).toBe('io server disconnect');
      expect(closedAt).toBeGreaterThanOrEqual(secondExp);
      expect(closedAt - secondExp).toBeLessThan(1);
    },
    SLOW,
  );

  it('refuses an in-band refresh with another user’s token and closes the socket: it is an attack', async () => {
    const socket = await connect((await login(server.url, 'alice')).access_token);
    const bob = await login(server.url, 'bob');
    // At once, well before the 3 s token's exp would close it anyway.
    const closed = waitFor<string>(socket, 'disconnect', 1_000);
    expect(await socket.emitWithAck('auth:refresh', { token: bob.access_token })).toEqual({
      error: { code: 'token_invalid', message: expect.any(String) },
    });
    expect(await closed).toBe('io server disconnect');
  });

  it('refuses an in-band refresh with a revoked session’s token', async () => {
    const socket = await connect((await login(server.url, 'alice')).access_token);
    const other = await login(server.url, 'alice');
    expect(await logout(server.url, other.access_token)).toBe(204);
    expect(await socket.emitWithAck('auth:refresh', { token: other.access_token })).toMatchObject({
      error: { code: 'token_revoked' },
    });
  });

  it.each([[{}], [{ token: 42 }], ['token'], [null]])(
    'answers a malformed auth:refresh %j with invalid_payload',
    async (payload) => {
      const socket = await connect((await login(server.url, 'alice')).access_token);
      expect(await socket.emitWithAck('auth:refresh', payload)).toMatchObject({
        error: { code: 'invalid_payload' },
      });
    },
  );

  it('applies new roles at once: a refresh without admin closes the /admin socket', async () => {
    const socket = await connect(await mint({ sub: 'root', roles: ['admin'] }), '/admin');
    const closed = waitFor<string>(socket, 'disconnect');
    const demoted = await mint({ sub: 'root', roles: [] });
    expect(await socket.emitWithAck('auth:refresh', { token: demoted })).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await closed).toBe('io server disconnect');
  });

  it(
    'keeps an @ioauth/client socket connected through two token lifetimes without the app doing anything',
    async () => {
      const tokens = new SessionTokens({ baseUrl: server.url });
      await tokens.login('alice', 'alice-password');
      const client = new IoauthSocket({ url: `${server.url}/`, tokens });
      const states: ConnectionState[] = [];
      client.on('state', (state) => states.push(state));
      const refreshes: number[] = [];
      const twice = new Promise<void>((resolve) =>
        client.on('refreshed', ({ exp }) => {
          refreshes.push(exp);
          if (refreshes.length === 2) resolve();
        }),
      );
      client.connect();
      try {
        await twice;
        expect(states).toEqual(['connecting', 'connected']);
        expect(refreshes[1]).toBeGreaterThan(refreshes[0] ?? 0);
        expect(((await client.socket.emitWithAck('whoami')) as WhoAmI).exp).toBe(refreshes[1]);
      } finally {
        client.close();
      }
    },
    SLOW,
  );
});
