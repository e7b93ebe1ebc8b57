import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Socket } from 'socket.io-client';

import type { TokenResponse } from '@ioauth/contracts';
import {
  connectSocket,
  createTestDatabase,
  postgresAvailable,
  refusedConnect,
  runCli,
  startRedisServer,
  startServer,
  untilReady,
  waitFor,
  type RedisProcess,
  type ServerProcess,
} from '@ioauth/test-support';

import { login, logout } from './fixtures.js';

const SLOW = 120_000;
/** The catch-up bound of the README (a read every 2 s), with room for a loaded machine. */
const CATCH_UP_MS = 10_000;

const me = (server: ServerProcess, accessToken: string) =>
  fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });

async function refreshStatus(server: ServerProcess, refreshToken: string) {
  const response = await fetch(`${server.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  return { status: response.status, code: ((await response.json()) as { code?: string }).code };
}

async function expectRefused(server: ServerProcess, tokens: TokenResponse) {
  const response = await me(server, tokens.access_token);
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ code: 'token_revoked' });
  expect(await refusedConnect(`${server.url}/`, { auth: { token: tokens.access_token } })).toMatchObject({
    code: 'token_revoked',
  });
}

// One data folder across restarts of `npm start`: what was revoked before a restart stays revoked after it.
describe('revocations on the embedded store hold across restarts', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  const open: Socket[] = [];

  const restart = async (env: Record<string, string>) => {
    await server?.stop();
    server = await startServer({ ...env, IOAUTH_DATA_DIR: dataDir });
    return server;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-revocation-e2e-'));
  });
  afterEach(async () => {
    for (const socket of open.splice(0)) socket.close();
    await server?.stop();
    server = undefined;
    await rm(dataDir, { recursive: true, force: true });
  }, SLOW);

  it(
    'keeps a kicked user out: no refresh, no access token, no socket, before and after a restart',
    async () => {
      const env = { IOAUTH_DEMO: 'true' };
      const first = await restart(env);
      const bob = await login(first.url, 'bob');
      const socket = await connectSocket(`${first.url}/`, { auth: { token: bob.access_token } });
      open.push(socket);
      const admin = await connectSocket(`${first.url}/admin`, {
        auth: { token: (await login(first.url, 'admin')).access_token },
      });
      open.push(admin);
      const closed = waitFor(socket, 'auth:error');
      expect(await admin.emitWithAck('sessions:kick', { sub: 'bob' })).toEqual({ ok: true });
      expect(await closed).toMatchObject({ code: 'token_revoked' });
      expect(await refreshStatus(first, bob.refresh_token)).toEqual({ status: 401, code: 'token_revoked' });
      await expectRefused(first, bob);

      const second = await restart(env);
      await expectRefused(second, bob);
      expect(await refreshStatus(second, bob.refresh_token)).toEqual({ status: 401, code: 'token_revoked' });
      // A new login lets bob in again.
      const again = await login(second.url, 'bob');
      expect((await me(second, again.access_token)).status).toBe(200);
    },
    SLOW,
  );

  it(
    "keeps a removed user's tokens refused after a restart, though their user row is gone and their sessions are ended",
    async () => {
      const env = { IOAUTH_DEMO: 'false' };
      const cli = { IOAUTH_DATA_DIR: dataDir, IOAUTH_DEMO: 'false' };
      expect(
        await runCli(['users', 'add', 'carol', '--scopes', 'chat:read,chat:write'], cli, 'carol-password\n'),
      ).toMatchObject({ code: 0 });
      const first = await restart(env);
      const carol = await login(first.url, 'carol');
      expect((await me(first, carol.access_token)).status).toBe(200);
      await server?.stop();
      server = undefined;

      expect(await runCli(['users', 'remove', 'carol'], cli)).toMatchObject({ code: 0 });
      const second = await restart(env);
      await expectRefused(second, carol);
      expect((await refreshStatus(second, carol.refresh_token)).status).toBe(401);
    },
    SLOW,
  );
});

const postgres = await postgresAvailable();

// Two `npm start` processes over one PostgreSQL and a Redis of the test's own: the store is the source of truth,
// the bus only the fast path.
(postgres ? describe : describe.skip)('a revocation whose message a process missed', () => {
  let redis: RedisProcess;
  let a: ServerProcess;
  let b: ServerProcess;
  let dropDatabase: () => Promise<void>;
  const open: Socket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      IOAUTH_ISSUER: `ioauth-e2e-${randomUUID()}`,
      IOAUTH_DEMO: 'true',
    };
    a = await startServer(env);
    b = await startServer(env);
  }, SLOW);
  let redisDown = false;
  const stopRedis = async () => {
    await redis.stop();
    redisDown = true;
  };
  // Until both processes answer ready again: their Redis clients reconnect on their own schedule.
  const startRedis = async () => {
    await redis.start();
    redisDown = false;
    await untilReady(a, b);
  };
  afterEach(async () => {
    for (const socket of open.splice(0)) socket.close();
    if (redisDown) await startRedis();
  }, SLOW);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await dropDatabase?.();
  }, SLOW);

  it(
    'is applied by the other process from the store while Redis is down: its socket closes, its HTTP refuses',
    async () => {
      const alice = await login(a.url, 'alice');
      const socket = await connectSocket(`${b.url}/`, { auth: { token: alice.access_token } });
      open.push(socket);
      expect((await me(b, alice.access_token)).status).toBe(200);

      await stopRedis();
      const closed = waitFor(socket, 'auth:error', CATCH_UP_MS);
      expect(await logout(a.url, alice.access_token)).toBe(204);
      expect(await closed).toMatchObject({ code: 'token_revoked' });
      const response = await me(b, alice.access_token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'token_revoked' });
    },
    SLOW,
  );

  it(
    'made by a kick during the outage, holds on every process once Redis is back',
    async () => {
      const bob = await login(a.url, 'bob');
      const admin = await login(a.url, 'admin');
      const adminSocket = await connectSocket(`${a.url}/admin`, { auth: { token: admin.access_token } });
      const bobSocket = await connectSocket(`${b.url}/`, { auth: { token: bob.access_token } });
      open.push(adminSocket, bobSocket);

      await stopRedis();
      const closed = waitFor(bobSocket, 'auth:error', CATCH_UP_MS);
      expect(await adminSocket.emitWithAck('sessions:kick', { sub: 'bob' })).toEqual({ ok: true });
      await startRedis();
      expect(await closed).toMatchObject({ code: 'token_revoked' });
      for (const server of [a, b]) {
        expect((await me(server, bob.access_token)).status).toBe(401);
        expect(await refreshStatus(server, bob.refresh_token)).toEqual({
          status: 401,
          code: 'token_revoked',
        });
      }
    },
    SLOW,
  );
});
