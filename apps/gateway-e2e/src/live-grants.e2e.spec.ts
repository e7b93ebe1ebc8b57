import { randomUUID } from 'node:crypto';

import type { Socket } from 'socket.io-client';

import type { AdminUserPatch, NewAdminUser, TokenResponse, WhoAmI } from '@ioauth/contracts';
import {
  connectSocket,
  createTestDatabase,
  postgresAvailable,
  redisAvailable,
  startRedisServer,
  startServer,
  untilReady,
  TEST_REDIS_URL,
  waitFor,
  type RedisProcess,
  type ServerProcess,
} from '@ioauth/test-support';

import { login, refresh } from './fixtures.js';

const SLOW = 120_000;
// A 15 s access token has a refresh window of 5 s (a third of its life): short enough to wait for a deadline.
const TTL = 15;
const WINDOW = TTL / 3;
/** The catch-up bound of the README (a read every 2 s), with room for a loaded machine. */
const CATCH_UP_MS = 10_000;

type Expiring = { exp: number; reason?: 'grants_changed' };
type AuthErrorEvent = { code: string; message?: string };

const claimsOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString('utf8')) as {
    sid: string;
  };

/** The admin API of node A, as the demo's `admin` (a fresh login when the last token is near its end). */
function adminApi(node: () => ServerProcess) {
  let admin: { token: string; until: number } | undefined;
  const bearer = async () => {
    if (!admin || Date.now() > admin.until) {
      const tokens = await login(node().url, 'admin');
      admin = { token: tokens.access_token, until: Date.now() + (tokens.expires_in - WINDOW) * 1000 };
    }
    return admin.token;
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${node().url}/admin/users${path}`, {
      method,
      headers: { authorization: `Bearer ${await bearer()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.body?.cancel();
    return response.status;
  };
  let made = 0;
  return {
    /** Signs the admin in ahead of time (logins count attempts in Redis). */
    signIn: bearer,
    /** Creates a user of the test's own, with both chat scopes unless told otherwise; resolves with its name. */
    async create(user: Partial<NewAdminUser> = {}): Promise<{ username: string; password: string }> {
      made += 1;
      const created = {
        username: `grants-${made}-${randomUUID().slice(0, 8)}`,
        password: `pw-${randomUUID()}`,
        scopes: ['chat:read', 'chat:write'],
        roles: [],
        ...user,
      };
      expect(await call('POST', '', created)).toBe(201);
      return created;
    },
    patch: (username: string, patch: AdminUserPatch) =>
      call('PATCH', `/${encodeURIComponent(username)}`, patch),
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

// `npm start` (node A: HTTP API with the admin routes, and a gateway) beside `npm run start:gateway` (node B),
// sharing PostgreSQL and Redis: what an admin or the user does through node A reaches the sockets node B holds.
const services = (await postgresAvailable()) && (await redisAvailable());

(services ? describe : describe.skip)('grants and sessions changed on node A, on sockets of node B', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let dropDatabase: () => Promise<void>;
  const open: Socket[] = [];
  const admin = adminApi(() => a);

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      // A fresh issuer gives this run its own Redis channels.
      IOAUTH_ISSUER: `ioauth-e2e-${randomUUID()}`,
      IOAUTH_ACCESS_TOKEN_TTL: `${TTL}`,
      IOAUTH_CLOCK_TOLERANCE: '0',
      IOAUTH_LOGIN_IP_LIMIT: '1000',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env, 'gateway')]);
  }, SLOW);
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDatabase?.();
  }, SLOW);

  const connect = async (tokens: TokenResponse) => {
    const socket = await connectSocket(`${b.url}/`, { auth: { token: tokens.access_token } });
    open.push(socket);
    return socket;
  };
  const whoami = async (socket: Socket) => (await socket.emitWithAck('whoami')) as WhoAmI;

  /** A user of the test's own, logged in on node A, with a socket on node B. */
  const connectedUser = async () => {
    const user = await admin.create();
    const tokens = await login(a.url, user.username, user.password);
    return { ...user, tokens, socket: await connect(tokens) };
  };

  it(
    'downgrades the socket when a scope is taken away: warned with the reason, the scoped event refused, and a refresh without the scope keeps it',
    async () => {
      const { username, tokens, socket } = await connectedUser();
      expect(await socket.emitWithAck('chat:send', { text: 'before' })).toEqual({ ok: true });
      const warned = waitFor<Expiring>(socket, 'auth:expiring');
      const errors: AuthErrorEvent[] = [];
      socket.on('auth:error', (error: AuthErrorEvent) => errors.push(error));

      expect(await admin.patch(username, { scopes: ['chat:read'] })).toBe(200);
      const warning = await warned;
      const warnedAt = Date.now() / 1000;
      expect(warning).toEqual({ exp: expect.any(Number), reason: 'grants_changed' });
      expect(warning.exp - warnedAt).toBeGreaterThan(0);
      expect(warning.exp - warnedAt).toBeLessThanOrEqual(WINDOW + 1);
      expect(await socket.emitWithAck('chat:send', { text: 'after' })).toEqual({
        error: { code: 'forbidden', message: expect.any(String) },
      });
      expect((await whoami(socket)).scope).toBe('chat:read');

      const next = await refresh(a.url, tokens.refresh_token);
      expect(next.scope).toBe('chat:read');
      expect(await socket.emitWithAck('auth:refresh', { token: next.access_token })).toEqual({
        exp: expect.any(Number),
      });
      // The new token's own warning comes after the deadline it answered: the socket outlived that deadline.
      const own = await waitFor<Expiring>(socket, 'auth:expiring', (TTL + 2) * 1000);
      expect(own).toEqual({ exp: (await whoami(socket)).exp });
      expect(Date.now() / 1000).toBeGreaterThan(warning.exp);
      expect(socket.connected).toBe(true);
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  it(
    'closes the socket with token_revoked at the deadline when a role is taken away and no refresh comes',
    async () => {
      const user = await admin.create({ roles: ['member'] });
      const tokens = await login(a.url, user.username, user.password);
      const socket = await connect(tokens);
      const warned = waitFor<Expiring>(socket, 'auth:expiring');
      const error = waitFor<AuthErrorEvent>(socket, 'auth:error', (WINDOW + 3) * 1000);
      const closed = waitFor<string>(socket, 'disconnect', (WINDOW + 3) * 1000);

      expect(await admin.patch(user.username, { roles: [] })).toBe(200);
      const { exp: deadline, reason } = await warned;
      expect(reason).toBe('grants_changed');
      expect((await whoami(socket)).roles).toEqual([]);
      expect(await error).toEqual({ code: 'token_revoked', message: expect.any(String) });
      const closedAt = Date.now() / 1000;
      expect(await closed).toBe('io server disconnect');
      expect(closedAt).toBeGreaterThanOrEqual(deadline - 0.05);
      expect(closedAt - deadline).toBeLessThan(1);
    },
    SLOW,
  );

  it.each<[string, (username: string) => AdminUserPatch]>([
    ['disables the user', () => ({ disabled: true })],
    ['sets a new password', () => ({ password: `pw-${randomUUID()}` })],
  ])(
    'closes every socket of the user at once with token_revoked when the admin %s',
    async (_case, patch) => {
      const { username, password, socket } = await connectedUser();
      const second = await connect(await login(a.url, username, password));
      const errors = [socket, second].map((each) => waitFor<AuthErrorEvent>(each, 'auth:error', 2_000));
      const started = performance.now();
      expect(await admin.patch(username, patch(username))).toBe(200);
      for (const error of await Promise.all(errors)) expect(error).toMatchObject({ code: 'token_revoked' });
      expect(performance.now() - started).toBeLessThan(2_000);
    },
    SLOW,
  );

  it(
    'closes the sockets of every other session at once when the user changes their password, and keeps this one’s',
    async () => {
      const { username, password, tokens, socket } = await connectedUser();
      const other = await connect(await login(a.url, username, password));
      const ended = waitFor<AuthErrorEvent>(other, 'auth:error', 2_000);
      const response = await fetch(`${a.url}/auth/password`, {
        method: 'POST',
        headers: bearer(tokens.access_token),
        body: JSON.stringify({ current_password: password, new_password: `pw-${randomUUID()}` }),
      });
      expect(response.status).toBe(204);
      expect(await ended).toMatchObject({ code: 'token_revoked' });
      // Both sockets heard the same revocation: this one answering after the other closed was spared by it.
      expect((await whoami(socket)).sub).toBe(username);
      expect(socket.connected).toBe(true);
    },
    SLOW,
  );

  it(
    'closes the sockets of the session a user ends from another one, and only those',
    async () => {
      const { username, password, tokens, socket } = await connectedUser();
      const otherTokens = await login(a.url, username, password);
      const other = await connect(otherTokens);
      const ended = waitFor<AuthErrorEvent>(other, 'auth:error', 2_000);
      const response = await fetch(`${a.url}/auth/sessions/${claimsOf(otherTokens.access_token).sid}`, {
        method: 'DELETE',
        headers: bearer(tokens.access_token),
      });
      expect(response.status).toBe(204);
      expect(await ended).toMatchObject({ code: 'token_revoked' });
      expect((await whoami(socket)).sub).toBe(username);
      expect(socket.connected).toBe(true);
    },
    SLOW,
  );
});

// Node A and node B over a Redis of the test's own, stopped while the admin takes a scope away: the message never
// reaches node B, whose catch-up from PostgreSQL still downgrades its socket.
(services ? describe : describe.skip)('a grants change whose message node B missed', () => {
  let redis: RedisProcess;
  let a: ServerProcess;
  let b: ServerProcess;
  let dropDatabase: () => Promise<void>;
  let redisDown = false;
  const open: Socket[] = [];
  const admin = adminApi(() => a);

  beforeAll(async () => {
    redis = await startRedisServer();
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      IOAUTH_ISSUER: `ioauth-e2e-${randomUUID()}`,
      IOAUTH_LOGIN_IP_LIMIT: '1000',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env, 'gateway')]);
  }, SLOW);
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
    'is applied by node B from the store within seconds: the socket is warned and judged on the grants left',
    async () => {
      const user = await admin.create();
      const tokens = await login(a.url, user.username, user.password);
      const socket = await connectSocket(`${b.url}/`, { auth: { token: tokens.access_token } });
      open.push(socket);
      await admin.signIn();

      await redis.stop();
      redisDown = true;
      const warned = waitFor<Expiring>(socket, 'auth:expiring', CATCH_UP_MS);
      expect(await admin.patch(user.username, { scopes: ['chat:read'] })).toBe(200);
      expect(await warned).toEqual({ exp: expect.any(Number), reason: 'grants_changed' });
      expect(await socket.emitWithAck('chat:send', { text: 'cut' })).toMatchObject({
        error: { code: 'forbidden' },
      });
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).scope).toBe('chat:read');
    },
    SLOW,
  );
});
