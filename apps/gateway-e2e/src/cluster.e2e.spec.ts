import { randomUUID } from 'node:crypto';

import type { Socket } from 'socket.io-client';

import type { ChatMessage } from '@ioauth/demo-contracts';
import {
  connectSocket,
  createTestDatabase,
  postgresAvailable,
  redisAvailable,
  startServer,
  TEST_REDIS_URL,
  waitFor,
  type ServerProcess,
} from '@ioauth/test-support';

import { login, logout, SECRET } from './fixtures.js';

const SLOW = 90_000;
const services = (await postgresAvailable()) && (await redisAvailable());

// `npm start` (HTTP API and gateway) beside `npm run start:gateway`, sharing PostgreSQL and Redis.
(services ? describe : describe.skip)('two processes over PostgreSQL and Redis', () => {
  let server: ServerProcess;
  let gateway: ServerProcess;
  let dropDatabase: () => Promise<void>;
  const open: Socket[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      // A fresh issuer gives this run its own Redis channels.
      IOAUTH_ISSUER: `ioauth-e2e-${randomUUID()}`,
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: SECRET,
      IOAUTH_LOGIN_IP_LIMIT: '1000',
    };
    [server, gateway] = await Promise.all([startServer(env), startServer(env, 'gateway')]);
  }, SLOW);
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), gateway?.stop()]);
    await dropDatabase?.();
  }, SLOW);

  const connect = async (base: string, token: string) => {
    const socket = await connectSocket(`${base}/`, { auth: { token } });
    open.push(socket);
    return socket;
  };

  it('closes a socket held by the gateway process when the other process handles the logout', async () => {
    const tokens = await login(server.url, 'alice');
    const socket = await connect(gateway.url, tokens.access_token);
    const error = waitFor(socket, 'auth:error');
    const closed = waitFor<string>(socket, 'disconnect');
    const started = performance.now();
    expect(await logout(server.url, tokens.access_token)).toBe(204);
    expect(await error).toEqual({ code: 'token_revoked', message: expect.any(String) });
    expect(await closed).toBe('io server disconnect');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses the logged-out token on the other process at the next handshake', async () => {
    const tokens = await login(server.url, 'alice');
    expect(await logout(server.url, tokens.access_token)).toBe(204);
    await expect(connect(gateway.url, tokens.access_token)).rejects.toMatchObject({
      data: { code: 'token_revoked' },
    });
  });

  it('carries a chat message from one process to a client of the other', async () => {
    const alice = await connect(server.url, (await login(server.url, 'alice')).access_token);
    const bob = await connect(gateway.url, (await login(server.url, 'bob')).access_token);
    const received = waitFor<ChatMessage>(bob, 'chat:message');
    expect(await alice.emitWithAck('chat:send', { text: 'across nodes' })).toEqual({ ok: true });
    expect(await received).toMatchObject({ from: 'alice', text: 'across nodes' });
  });

  it('serves readiness with database and redis on the gateway process', async () => {
    const response = await fetch(`${gateway.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });
});
