import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Socket } from 'socket.io-client';

import type { AdminUser, AdminUsersResponse, SessionsResponse, TokenResponse } from '@ioauth/contracts';
import {
  connectSocket,
  createTestDatabase,
  postgresAvailable,
  startServer,
  waitFor,
  type ServerProcess,
} from '@ioauth/test-support';

import { basic, expectError, httpApi, uniqueUsername } from './support/http-api.js';

const SLOW = 60_000;
const RFC_3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const STRONG = 'a long enough passphrase';
const withPostgres = await postgresAvailable();

describe('the admin API (/admin/users)', () => {
  let server: ServerProcess;
  let dataDir: string;
  let admin: TokenResponse;
  const sockets: Socket[] = [];
  const api = httpApi(() => server);
  const { call, login, refresh, me } = api;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-e2e-admin-'));
    server = await startServer({
      IOAUTH_DEMO: 'true',
      IOAUTH_TRUST_PROXY: 'loopback',
      IOAUTH_DATA_DIR: dataDir,
    });
    admin = await login('admin');
  }, SLOW);
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, SLOW);

  const asAdmin = (method: string, path: string, body?: unknown) =>
    call(method, path, { token: admin.access_token, ...(body === undefined ? {} : { body }) });
  const newUser = async (grants: { scopes?: string[]; roles?: string[] } = {}) => {
    const username = uniqueUsername('adm');
    await api.addUser(admin.access_token, username, grants);
    return username;
  };
  const scopeOf = async (token: string) =>
    (await (await me(token)).json()) as { scope: string; roles: string[] };

  describe('GET /admin/users', () => {
    it('lists every user in the contract’s shape, never a password hash', async () => {
      const response = await asAdmin('GET', '/admin/users');
      expect([response.status, response.headers.get('cache-control')]).toEqual([200, 'no-store']);
      const { users } = (await response.json()) as AdminUsersResponse;
      expect(users).toEqual(
        expect.arrayContaining([
          {
            username: 'alice',
            scopes: ['chat:read', 'chat:write'],
            roles: [],
            disabled: false,
            created_at: expect.stringMatching(RFC_3339),
            updated_at: expect.stringMatching(RFC_3339),
          },
          expect.objectContaining({ username: 'admin', roles: ['admin'] }),
        ]),
      );
      expect(JSON.stringify(users)).not.toMatch(/argon2|hash|password/i);
    });
  });

  describe('who may call it', () => {
    // Every row as long as the case's parameters: jest-each takes a shorter row's function for a `done` callback.
    const routes: [string, string, unknown][] = [
      ['GET', '/admin/users', undefined],
      ['POST', '/admin/users', { username: 'mallory', password: STRONG }],
      ['GET', '/admin/users/alice', undefined],
      ['PATCH', '/admin/users/alice', { disabled: true }],
      ['DELETE', '/admin/users/alice', undefined],
      ['GET', '/admin/users/alice/sessions', undefined],
      ['DELETE', '/admin/users/alice/sessions', undefined],
    ];

    it.each(routes)(
      'refuses %s %s to a user without the role admin with 403 forbidden',
      async (method, path, body) => {
        const alice = await login('alice');
        await expectError(await call(method, path, { token: alice.access_token, body }), 403, 'forbidden');
      },
    );

    it.each(routes)('refuses %s %s without a token with 401 invalid_token', async (method, path, body) => {
      await expectError(await call(method, path, { body }), 401, 'invalid_token');
    });

    it('refuses the token of an admin whose session ended', async () => {
      const tokens = await login('admin');
      await call('POST', '/auth/logout', { token: tokens.access_token });
      await expectError(
        await call('GET', '/admin/users', { token: tokens.access_token }),
        401,
        'token_revoked',
      );
    });
  });

  describe('POST /admin/users', () => {
    it('adds a user (201, the user as GET shows it), who can log in with the grants given', async () => {
      const username = uniqueUsername('Carol');
      const response = await asAdmin('POST', '/admin/users', {
        username,
        password: STRONG,
        scopes: ['chat:read', 'chat:read', 'orders:write'],
        roles: ['moderator'],
      });
      expect(response.status).toBe(201);
      const created = (await response.json()) as AdminUser;
      expect(created).toEqual({
        username: username.toLowerCase(),
        scopes: ['chat:read', 'orders:write'],
        roles: ['moderator'],
        disabled: false,
        created_at: expect.stringMatching(RFC_3339),
        updated_at: expect.stringMatching(RFC_3339),
      });
      expect(await (await asAdmin('GET', `/admin/users/${username}`)).json()).toEqual(created);
      const tokens = await login(username, STRONG);
      expect(await scopeOf(tokens.access_token)).toMatchObject({
        scope: 'chat:read orders:write',
        roles: ['moderator'],
      });
    });

    it('refuses an existing username, in any case, with 409 conflict', async () => {
      const username = await newUser();
      await expectError(
        await asAdmin('POST', '/admin/users', { username, password: STRONG }),
        409,
        'conflict',
      );
      await expectError(
        await asAdmin('POST', '/admin/users', { username: username.toUpperCase(), password: STRONG }),
        409,
        'conflict',
      );
      await expectError(
        await asAdmin('POST', '/admin/users', { username: 'ALICE', password: STRONG }),
        409,
        'conflict',
      );
    });

    it.each([
      ['a short password', { password: 'short1' }, 'weak_password'],
      ['the password "password"', { password: 'password' }, 'weak_password'],
      ['the password "12345678"', { password: '12345678' }, 'weak_password'],
      ['a password over 1024 bytes', { password: 'x'.repeat(1025) }, 'weak_password'],
      ['a password that is a number', { password: 12345678 }, 'invalid_request'],
      ['no password', { password: undefined }, 'invalid_request'],
      ['no username', { username: undefined }, 'invalid_request'],
      ['an empty username', { username: '' }, 'invalid_request'],
      ['a username with a colon', { username: 'a:b' }, 'invalid_request'],
      ['a username with a control character', { username: 'a\u0000b' }, 'invalid_request'],
      ['a username of 300 characters', { username: 'u'.repeat(300) }, 'invalid_request'],
      ['a username that is an object', { username: { name: 'x' } }, 'invalid_request'],
      ['scopes as a string', { scopes: 'chat:read' }, 'invalid_request'],
      ['scopes holding a number', { scopes: [1] }, 'invalid_request'],
      ['a scope with a space', { scopes: ['chat read'] }, 'invalid_request'],
      ['an empty scope', { scopes: [''] }, 'invalid_request'],
      ['a scope with a quote', { scopes: ['chat"read'] }, 'invalid_request'],
      ['101 scopes', { scopes: Array.from({ length: 101 }, (_, i) => `s${i}`) }, 'invalid_request'],
      ['scopes as null', { scopes: null }, 'invalid_request'],
      ['roles as an object', { roles: { admin: true } }, 'invalid_request'],
      ['a role of 200 characters', { roles: ['r'.repeat(200)] }, 'invalid_request'],
      ['a field the contract does not have', { scope: ['chat:read'] }, 'invalid_request'],
      ['disabled, which only PATCH takes', { disabled: true }, 'invalid_request'],
    ])('refuses %s with 400, adding nobody', async (_case, fields, code) => {
      const username = uniqueUsername('bad');
      const body = Object.fromEntries(
        Object.entries({ username, password: STRONG, ...fields }).filter(([, value]) => value !== undefined),
      );
      await expectError(await asAdmin('POST', '/admin/users', body), 400, code);
      await expectError(await asAdmin('GET', `/admin/users/${username}`), 404, 'not_found');
    });

    it.each([
      ['a JSON array', JSON.stringify([{ username: 'x', password: STRONG }])],
      ['malformed JSON', '{"username":'],
      ['a field of 1 MB', JSON.stringify({ username: 'x', password: 'p'.repeat(1_048_576) })],
      ['a username of 1 MB', JSON.stringify({ username: 'u'.repeat(1_048_576), password: STRONG })],
    ])('refuses %s with 400 invalid_request, never a 500', async (_case, raw) => {
      await expectError(
        await call('POST', '/admin/users', { token: admin.access_token, raw }),
        400,
        'invalid_request',
      );
    });
  });

  describe('GET /admin/users/{username}', () => {
    it('answers in any case of the name', async () => {
      const response = await asAdmin('GET', '/admin/users/ALICE');
      expect([response.status, ((await response.json()) as AdminUser).username]).toEqual([200, 'alice']);
    });

    it.each([
      ['an unknown user', 'nobody-at-all', 404, 'not_found'],
      ['a name with a colon', 'a%3Ab', 400, 'invalid_request'],
      ['a NUL byte', 'a%00b', 400, 'invalid_request'],
      ['a name of 1000 characters', 'u'.repeat(1000), 400, 'invalid_request'],
    ])('answers %s with its contract error', async (_case, username, status, code) => {
      await expectError(await asAdmin('GET', `/admin/users/${username}`), status, code);
    });
  });

  describe('PATCH /admin/users/{username}', () => {
    it('disables a user: their sessions, tokens and sockets end, and they cannot log in until enabled', async () => {
      const username = await newUser({ scopes: ['chat:read'] });
      const tokens = await login(username);
      const socket = await connectSocket(`${server.url}/`, { auth: { token: tokens.access_token } });
      sockets.push(socket);
      const told = waitFor<{ code: string }>(socket, 'auth:error');

      const response = await asAdmin('PATCH', `/admin/users/${username}`, { disabled: true });
      expect([response.status, ((await response.json()) as AdminUser).disabled]).toEqual([200, true]);
      expect(await told).toMatchObject({ code: 'token_revoked' });
      await expectError(await me(tokens.access_token), 401, 'token_revoked');
      await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
      const refused = await call('POST', '/auth/login', {
        headers: { authorization: basic(`${username}:${username}-password`) },
      });
      await expectError(refused, 401, 'invalid_credentials');

      expect((await asAdmin('PATCH', `/admin/users/${username}`, { disabled: false })).status).toBe(200);
      await login(username);
    });

    it('sets a new password: every session of the user ends, and only the new password logs in', async () => {
      const username = await newUser();
      const tokens = await login(username);
      expect((await asAdmin('PATCH', `/admin/users/${username}`, { password: STRONG })).status).toBe(200);
      await expectError(await me(tokens.access_token), 401, 'token_revoked');
      await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
      await login(username, STRONG);
    });

    it('narrows an older token at once when a scope is taken away: /auth/me shows what is left', async () => {
      const username = await newUser({ scopes: ['chat:read', 'chat:write'] });
      const tokens = await login(username);
      const response = await asAdmin('PATCH', `/admin/users/${username}`, { scopes: ['chat:read'] });
      expect(((await response.json()) as AdminUser).scopes).toEqual(['chat:read']);
      expect(await scopeOf(tokens.access_token)).toMatchObject({ scope: 'chat:read' });
      // Its session goes on: a refresh brings a token with the new grants.
      const refreshed = (await (await refresh(tokens.refresh_token)).json()) as TokenResponse;
      expect(refreshed.scope).toBe('chat:read');
    });

    it('refuses a route needing a role taken away, to a token issued before', async () => {
      const username = await newUser({ roles: ['admin', 'auditor'] });
      const deputy = await login(username);
      expect((await call('GET', '/admin/users', { token: deputy.access_token })).status).toBe(200);
      expect((await asAdmin('PATCH', `/admin/users/${username}`, { roles: ['auditor'] })).status).toBe(200);
      await expectError(await call('GET', '/admin/users', { token: deputy.access_token }), 403, 'forbidden');
      expect(await scopeOf(deputy.access_token)).toMatchObject({ roles: ['auditor'] });
    });

    it('gives no grant to an older token: gained ones come with the next token', async () => {
      const username = await newUser({ scopes: ['chat:read'] });
      const tokens = await login(username);
      await asAdmin('PATCH', `/admin/users/${username}`, { scopes: ['chat:read', 'chat:write'] });
      expect(await scopeOf(tokens.access_token)).toMatchObject({ scope: 'chat:read' });
      expect(((await (await refresh(tokens.refresh_token)).json()) as TokenResponse).scope).toBe(
        'chat:read chat:write',
      );
    });

    it.each([
      ['disabled as text', { disabled: 'true' }, 'invalid_request'],
      ['disabled as a number', { disabled: 1 }, 'invalid_request'],
      ['disabled as null', { disabled: null }, 'invalid_request'],
      ['scopes as a string', { scopes: 'chat:read' }, 'invalid_request'],
      ['roles holding an object', { roles: [{}] }, 'invalid_request'],
      ['a weak password', { password: 'password' }, 'weak_password'],
      ['a password over 1024 bytes', { password: 'x'.repeat(1025) }, 'weak_password'],
      ['a field the contract does not have', { username: 'renamed' }, 'invalid_request'],
    ])('refuses %s with 400, changing nothing', async (_case, body, code) => {
      const username = await newUser({ scopes: ['chat:read'] });
      await expectError(await asAdmin('PATCH', `/admin/users/${username}`, body), 400, code);
      expect(await (await asAdmin('GET', `/admin/users/${username}`)).json()).toMatchObject({
        scopes: ['chat:read'],
        disabled: false,
      });
    });

    it('answers an unknown user with 404 not_found', async () => {
      await expectError(
        await asAdmin('PATCH', '/admin/users/nobody-at-all', { disabled: true }),
        404,
        'not_found',
      );
    });

    it.each([
      ['disable themself', { disabled: true }],
      ['drop their own admin role', { roles: [] }],
    ])('refuses an admin who would %s with 409 conflict', async (_case, body) => {
      await expectError(await asAdmin('PATCH', '/admin/users/admin', body), 409, 'conflict');
      expect((await call('GET', '/admin/users', { token: admin.access_token })).status).toBe(200);
    });
  });

  describe('DELETE /admin/users/{username}', () => {
    it('removes a user: their tokens stop working and they cannot log in', async () => {
      const username = await newUser();
      const tokens = await login(username);
      expect((await asAdmin('DELETE', `/admin/users/${username}`)).status).toBe(204);
      await expectError(await me(tokens.access_token), 401, 'token_revoked');
      await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
      await expectError(await asAdmin('GET', `/admin/users/${username}`), 404, 'not_found');
      await expectError(await asAdmin('DELETE', `/admin/users/${username}`), 404, 'not_found');
    });

    it('refuses an admin removing themself with 409 conflict', async () => {
      await expectError(await asAdmin('DELETE', '/admin/users/admin'), 409, 'conflict');
      await expectError(await asAdmin('DELETE', '/admin/users/ADMIN'), 409, 'conflict');
    });
  });

  describe('GET and DELETE /admin/users/{username}/sessions', () => {
    it("lists a user's live sessions, none of them current, and ends them all", async () => {
      const username = await newUser();
      const first = await login(username, undefined, { 'user-agent': 'Tablet/3.0' });
      const second = await login(username);
      const response = await asAdmin('GET', `/admin/users/${username}/sessions`);
      const { sessions } = (await response.json()) as SessionsResponse;
      expect(sessions).toHaveLength(2);
      expect(sessions.map(({ current }) => current)).toEqual([false, false]);
      expect(sessions[1]).toMatchObject({
        user_agent: 'Tablet/3.0',
        expires_at: expect.stringMatching(RFC_3339),
      });

      expect((await asAdmin('DELETE', `/admin/users/${username}/sessions`)).status).toBe(204);
      for (const tokens of [first, second])
        await expectError(await me(tokens.access_token), 401, 'token_revoked');
      expect(
        ((await (await asAdmin('GET', `/admin/users/${username}/sessions`)).json()) as SessionsResponse)
          .sessions,
      ).toEqual([]);
      await login(username);
    });

    it.each([['GET'], ['DELETE']])('%s answers an unknown user with 404 not_found', async (method) => {
      await expectError(await asAdmin(method, '/admin/users/nobody-at-all/sessions'), 404, 'not_found');
    });
  });

  describe('the local admin credential (the CLI beside an embedded store)', () => {
    const localFile = () => join(dataDir, 'admin-api.json');
    const asLocal = async (
      method: string,
      path: string,
      init: { body?: unknown; headers?: Record<string, string> } = {},
    ) => {
      const { key } = JSON.parse(await readFile(localFile(), 'utf8')) as { key: string };
      return fetch(`${server.url}${path}`, {
        method,
        headers: {
          'x-ioauth-local-admin': key,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    };

    it('is a file of the server’s URL, a key and the pid, readable by its owner only', async () => {
      const file = JSON.parse(await readFile(localFile(), 'utf8')) as {
        url: string;
        key: string;
        pid: number;
      };
      expect(file).toEqual({
        url: server.url,
        key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        pid: expect.any(Number),
      });
      expect((await stat(localFile())).mode & 0o777).toBe(0o600);
      expect(server.output()).not.toContain(file.key);
    });

    it('lets the key holder on this machine use the admin API, acting as no user', async () => {
      expect((await asLocal('GET', '/admin/users')).status).toBe(200);
      const username = uniqueUsername('local');
      const created = await asLocal('POST', '/admin/users', { body: { username, password: STRONG } });
      expect(created.status).toBe(201);
      await login(username, STRONG);
    });

    it.each([
      ['a wrong key', 'A'.repeat(43)],
      ['an empty key', ''],
      ['a key of 10 KB', 'k'.repeat(10_000)],
    ])('refuses %s with 401 invalid_token', async (_case, key) => {
      await expectError(
        await asLocal('GET', '/admin/users', { headers: { 'x-ioauth-local-admin': key } }),
        401,
        'invalid_token',
      );
    });

    it('refuses the key on a request a proxy relayed, though the proxy runs on this machine', async () => {
      await expectError(
        await asLocal('GET', '/admin/users', { headers: { 'x-forwarded-for': '203.0.113.9' } }),
        401,
        'invalid_token',
      );
    });

    it('is no credential anywhere but the admin API', async () => {
      await expectError(await asLocal('GET', '/auth/me'), 401, 'invalid_token');
      await expectError(await asLocal('GET', '/auth/sessions'), 401, 'invalid_token');
    });
  });
});

describe('the local admin credential file across a start and a stop', () => {
  it(
    'is written once the server listens and removed when it stops',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-e2e-admin-file-'));
      try {
        const server = await startServer({ IOAUTH_DATA_DIR: dataDir, IOAUTH_DEMO: 'false' });
        const { url } = JSON.parse(await readFile(join(dataDir, 'admin-api.json'), 'utf8')) as {
          url: string;
        };
        expect(url).toBe(server.url);
        await server.stop();
        await expect(stat(join(dataDir, 'admin-api.json'))).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  (withPostgres ? it : it.skip)(
    'is not written by a server on PostgreSQL, whose database the CLI opens itself',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-e2e-admin-file-'));
      const database = await createTestDatabase();
      try {
        const server = await startServer({ IOAUTH_DATA_DIR: dataDir, DATABASE_URL: database.url });
        await expect(stat(join(dataDir, 'admin-api.json'))).rejects.toMatchObject({ code: 'ENOENT' });
        await server.stop();
      } finally {
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
