import { setTimeout as delay } from 'node:timers/promises';

import type { Socket } from 'socket.io-client';

import type { WhoAmI } from '@ioauth/contracts';
import type { ChatMessage } from '@ioauth/demo-contracts';
import {
  connectSocket,
  refusedConnect,
  startRedisServer,
  startServer,
  waitFor,
  type RedisProcess,
  type ServerProcess,
} from '@ioauth/test-support';

import { login, SECRET } from './fixtures.js';

const SLOW = 60_000;

// `npm start` and `npm run start:gateway` over a Redis of the test's own, in phases that run in order: Redis up,
// Redis gone, Redis back. The socket.io Redis adapter sends every broadcast to Redis without waiting for the
// answer: during an outage that answer is a failure nobody handles, which must not end the process.
describe('two processes while their Redis goes away and comes back', () => {
  let redis: RedisProcess;
  let server: ServerProcess;
  let gateway: ServerProcess;
  let alice: Socket;
  let bob: Socket;
  let aliceToken: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = {
      IOAUTH_DEMO: 'true',
      REDIS_URL: redis.url,
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: SECRET,
    };
    [server, gateway] = await Promise.all([startServer(env), startServer(env, 'gateway')]);
    aliceToken = (await login(server.url, 'alice')).access_token;
    alice = await connectSocket(`${server.url}/`, { auth: { token: aliceToken } });
    bob = await connectSocket(`${gateway.url}/`, {
      auth: { token: (await login(server.url, 'bob')).access_token },
    });
  }, SLOW);
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await Promise.all([server?.stop(), gateway?.stop()]);
    await redis?.stop();
  }, SLOW);

  /** Asks for readiness until it answers `status`: the process has seen Redis go or come back. */
  const readiness = async (of: ServerProcess, status: number, withinMs = 15_000) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const response = await fetch(`${of.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status === status || Date.now() > deadline) return response.status;
      await delay(50); // the polling interval, not a wait for the outcome
    }
  };

  it('carries a chat message across processes', async () => {
    const received = waitFor<ChatMessage>(bob, 'chat:message');
    expect(await alice.emitWithAck('chat:send', { text: 'before' })).toEqual({ ok: true });
    expect(await received).toMatchObject({ from: 'alice', text: 'before' });
  });

  it(
    'refuses handshakes with unavailable within seconds while Redis holds the connection but stops answering',
    async () => {
      redis.freeze();
      try {
        expect(await refusedConnect(`${gateway.url}/`, { auth: { token: aliceToken } })).toMatchObject({
          code: 'unavailable',
        });
        expect(((await bob.emitWithAck('whoami')) as WhoAmI).sub).toBe('bob');
      } finally {
        redis.thaw();
      }
      expect(await readiness(gateway, 200)).toBe(200);
    },
    SLOW,
  );

  it(
    'keeps serving connected sockets and broadcasting on each node, and refuses new handshakes with unavailable',
    async () => {
      await redis.stop();
      expect(await readiness(server, 503)).toBe(503);

      for (const text of ['one', 'two']) {
        const message = waitFor<ChatMessage>(alice, 'chat:message');
        expect(await alice.emitWithAck('chat:send', { text })).toEqual({ ok: true });
        expect(await message).toMatchObject({ from: 'alice', text });
      }
      expect(((await alice.emitWithAck('whoami')) as WhoAmI).sub).toBe('alice');
      expect(((await bob.emitWithAck('whoami')) as WhoAmI).sub).toBe('bob');
      for (const process of [server, gateway])
        expect((await fetch(`${process.url}/health/live`)).status).toBe(200);

      expect(await refusedConnect(`${server.url}/`, { auth: { token: aliceToken } })).toMatchObject({
        code: 'unavailable',
      });
    },
    SLOW,
  );

  it(
    'accepts handshakes again, and carries messages across processes again, once Redis is back',
    async () => {
      await redis.start();
      expect(await readiness(server, 200)).toBe(200);
      expect(await readiness(gateway, 200)).toBe(200);
      const again = await connectSocket(`${server.url}/`, { auth: { token: aliceToken } });
      again.close();

      // The adapter subscribes again after its own reconnect, which readiness does not wait for: until then a
      // message stays on its node, so alice sends until one crosses.
      const crossed = waitFor<ChatMessage>(bob, 'chat:message', 15_000);
      let sent = 0;
      const sending = setInterval(() => void alice.emit('chat:send', { text: `after ${++sent}` }), 100);
      try {
        expect(await crossed).toMatchObject({ from: 'alice', text: expect.stringMatching(/^after \d+$/) });
      } finally {
        clearInterval(sending);
      }
      expect(alice.connected && bob.connected).toBe(true);
    },
    SLOW,
  );
});
