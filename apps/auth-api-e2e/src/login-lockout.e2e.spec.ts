import { randomUUID } from 'node:crypto';

import type { ErrorBody } from '@ioauth/contracts';
import { redisAvailable, startServer, TEST_REDIS_URL, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const ATTEMPTS = 30;
const USER_LIMIT = 10;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

const stores: [string, () => Record<string, string>][] = [['the memory store', () => ({})]];
if (await redisAvailable()) {
  // The issuer namespaces the Redis keys: this run shares no counter with earlier ones.
  stores.push([
    'the Redis store',
    () => ({ REDIS_URL: TEST_REDIS_URL, IOAUTH_ISSUER: `ioauth-e2e-${randomUUID()}` }),
  ]);
}

describe.each(stores)('per-username login lockout on %s', (_store, storeEnv) => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      IOAUTH_DEMO: 'true',
      IOAUTH_LOGIN_USER_LIMIT: String(USER_LIMIT),
      // The per-IP limit is not under test here; the proxy on loopback lets a case spread over client addresses.
      IOAUTH_LOGIN_IP_LIMIT: '1000',
      IOAUTH_TRUST_PROXY: 'loopback',
      ...storeEnv(),
    });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  const login = (userPass: string, forwardedFor?: string) =>
    fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: {
        authorization: basic(userPass),
        ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
      },
    });

  // All sent at once: the limit must hold while every attempt is still hashing, not only between attempts.
  async function concurrentWrongLogins(user: string, clients: string[]): Promise<Response[]> {
    return Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) => login(`${user}:wrong-${i}`, clients[i % clients.length])),
    );
  }

  async function expectLockout(responses: Response[]): Promise<void> {
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(USER_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(ATTEMPTS - USER_LIMIT);
    const refused = responses.find((response) => response.status === 429) as Response;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()) as ErrorBody).toEqual({
      statusCode: 429,
      code: 'rate_limited',
      message: expect.any(String),
    });
  }

  it(
    `answers at most ${USER_LIMIT} of ${ATTEMPTS} concurrent wrong logins from one IP with 401, the rest 429`,
    async () => {
      await expectLockout(await concurrentWrongLogins('bob', ['203.0.113.10']));
      // Locked: the right password is refused too, before any hashing.
      expect((await login('bob:bob-password', '203.0.113.11')).status).toBe(429);
    },
    SLOW,
  );

  it(
    `holds the same limit when the attempts come from three IPs`,
    async () => {
      await expectLockout(
        await concurrentWrongLogins('admin', ['203.0.113.20', '203.0.113.21', '203.0.113.22']),
      );
      expect((await login('admin:admin-password', '203.0.113.23')).status).toBe(429);
    },
    SLOW,
  );

  it(
    'lets a user under the limit log in, and a success clears the failures before it',
    async () => {
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < USER_LIMIT - 1; i += 1) expect((await login('alice:wrong')).status).toBe(401);
        expect((await login('alice:alice-password')).status).toBe(200);
      }
    },
    SLOW,
  );
});
