import type { ErrorBody } from '@ioauth/contracts';
import {
  createTestDatabase,
  postgresAvailable,
  type ServerProcess,
  startServer,
  startTcpProxy,
  type TcpProxy,
  TEST_POSTGRES_URL,
} from '@ioauth/test-support';

const SLOW = 60_000;
// The README's bounds: a statement waits at most 5 s for PostgreSQL, a new connection 3 s, so a request fails
// within about 5 s; shutdown gives up on the database after 2 s more. The margins are for a loaded test machine.
const REQUEST_BOUND_MS = 8_000;
const SHUTDOWN_BOUND_MS = 12_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
const withPostgres = await postgresAvailable();

// Each phase runs after the one before it: PostgreSQL up, frozen, thawed, frozen while the server is told to stop.
(withPostgres ? describe : describe.skip)(
  'a PostgreSQL that holds its connections but stops answering',
  () => {
    let proxy: TcpProxy;
    let server: ServerProcess | undefined;
    let dropDatabase: () => Promise<void>;
    const statuses: number[] = [];

    beforeAll(async () => {
      const database = await createTestDatabase();
      dropDatabase = database.drop;
      const target = new URL(TEST_POSTGRES_URL);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const url = new URL(database.url);
      url.host = `127.0.0.1:${proxy.port}`;
      server = await startServer({ IOAUTH_DEMO: 'true', DATABASE_URL: url.toString() });
    }, SLOW);
    afterAll(async () => {
      proxy?.thaw();
      await server?.stop();
      await proxy?.close();
      await dropDatabase?.();
    }, SLOW);

    // The old code answered nothing for minutes: each request gives up well after the bound, so that it fails.
    const request = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server?.url}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
      statuses.push(response.status);
      return response;
    };
    const login = () =>
      request('/auth/login', { method: 'POST', headers: { authorization: basic('alice:alice-password') } });
    const timed = async <T>(work: Promise<T>): Promise<[T, number]> => {
      const started = performance.now();
      const result = await work;
      return [result, performance.now() - started];
    };

    it('is ready and logs users in', async () => {
      expect((await request('/health/ready')).status).toBe(200);
      expect((await login()).status).toBe(200);
    });

    it(
      'answers a login 503 within the bound, readiness 503 and liveness 200, then recovers once thawed',
      async () => {
        proxy.freeze();
        try {
          const [refused, elapsed] = await timed(login());
          expect(refused.status).toBe(503);
          expect(((await refused.json()) as ErrorBody).code).toBe('service_unavailable');
          expect(elapsed).toBeLessThan(REQUEST_BOUND_MS);

          const [ready, readyElapsed] = await timed(request('/health/ready'));
          expect(ready.status).toBe(503);
          expect(await ready.json()).toMatchObject({
            code: 'service_unavailable',
            details: { database: { status: 'down', message: 'not answering' } },
          });
          expect(readyElapsed).toBeLessThan(REQUEST_BOUND_MS);
          expect((await request('/health/live')).status).toBe(200);
        } finally {
          proxy.thaw();
        }
        expect((await request('/health/ready')).status).toBe(200);
        expect((await login()).status).toBe(200);
      },
      SLOW,
    );

    it(
      'exits within the bound on SIGTERM while frozen, with a login waiting on the database',
      async () => {
        proxy.freeze();
        const pending = login().catch(() => undefined);
        const [, elapsed] = await timed((server as ServerProcess).stop());
        server = undefined;
        expect(elapsed).toBeLessThan(SHUTDOWN_BOUND_MS);
        await pending;
      },
      SLOW,
    );

    it('never answered 500', () => {
      expect(statuses).not.toContain(500);
    });
  },
);
