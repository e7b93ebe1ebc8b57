import { setTimeout as delay } from 'node:timers/promises';

import type { ErrorBody } from '@ioauth/contracts';

import { startRedisServer, startServer, type RedisProcess, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

// Each phase runs after the one before it: Redis up, Redis gone, Redis back.
describe('GET /health/ready while Redis goes away and comes back', () => {
  let redis: RedisProcess;
  let server: ServerProcess;
  const statuses: number[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startServer({ IOAUTH_DEMO: 'true', REDIS_URL: redis.url });
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  }, SLOW);

  // Every request is bounded: a dependency outage must never leave a client waiting without end.
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
    statuses.push(response.status);
    return response;
  };
  const login = () =>
    request('/auth/login', { method: 'POST', headers: { authorization: basic('alice:alice-password') } });
  /** Asks for readiness until it answers `status` or the deadline passes; returns the last answer. */
  const readiness = async (status: number, withinMs = 15_000) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const response = await request('/health/ready');
      if (response.status === status || Date.now() > deadline) return response;
      await response.body?.cancel();
      await delay(50); // the polling interval, not a wait for the outcome
    }
  };

  it('is ready, with the database and Redis up', async () => {
    const ready = await request('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
    expect((await login()).status).toBe(200);
  });

  it(
    'answers logins 503 within seconds while Redis holds the connection but stops answering, and recovers',
    async () => {
      redis.freeze();
      try {
        const refused = await login();
        expect(refused.status).toBe(503);
        expect(((await refused.json()) as ErrorBody).code).toBe('service_unavailable');
        expect((await readiness(503)).status).toBe(503);
      } finally {
        redis.thaw();
      }
      expect((await readiness(200)).status).toBe(200);
      expect((await login()).status).toBe(200);
    },
    SLOW,
  );

  it(
    'answers 503 with Redis down once Redis stops, stays live, and refuses logins with 503 at once',
    async () => {
      await redis.stop();
      const ready = await readiness(503);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        statusCode: 503,
        code: 'service_unavailable',
        message: expect.any(String),
        details: { database: { status: 'up' }, redis: { status: 'down', message: 'not answering' } },
      });

      const live = await request('/health/live');
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });

      // The per-IP counter lives in Redis: without it the login fails closed, with a contract body.
      const refused = await login();
      expect(refused.status).toBe(503);
      expect((await refused.json()) as ErrorBody).toEqual({
        statusCode: 503,
        code: 'service_unavailable',
        message: expect.any(String),
      });
    },
    SLOW,
  );

  it(
    'is ready again, and logs users in, once Redis is back',
    async () => {
      await redis.start();
      const ready = await readiness(200);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ info: { redis: { status: 'up' } } });
      expect((await login()).status).toBe(200);
    },
    SLOW,
  );

  it('never answered 500', () => {
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses).not.toContain(500);
  });
});
