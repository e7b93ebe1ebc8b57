import { request as httpRequest } from 'node:http';

import type { Socket } from 'socket.io-client';

import type { SessionsResponse, TokenResponse } from '@ioauth/contracts';
import { connectSocket, startServer, waitFor, type ServerProcess } from '@ioauth/test-support';

import { basic, expectError, httpApi, uniqueUsername } from './support/http-api.js';

const SLOW = 60_000;
const USER_LIMIT = 3;
const RFC_3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('a user’s own sessions and password', () => {
  let server: ServerProcess;
  let admin: TokenResponse;
  const sockets: Socket[] = [];
  const api = httpApi(() => server);
  const { call, login, refresh, me } = api;

  beforeAll(async () => {
    server = await startServer({
      IOAUTH_DEMO: 'true',
      IOAUTH_TRUST_PROXY: 'loopback',
      IOAUTH_LOGIN_USER_LIMIT: String(USER_LIMIT),
    });
    admin = await login('admin');
  }, SLOW);
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => server?.stop(), SLOW);

  /** A user of this case alone, logged in `devices` times. */
  const newUser = async (devices = 1) => {
    const username = uniqueUsername('acct');
    await api.addUser(admin.access_token, username, { scopes: ['chat:read'] });
    const sessions: TokenResponse[] = [];
    for (let i = 0; i < devices; i += 1) sessions.push(await login(username));
    return { username, sessions };
  };
  const list = async (token: string) => {
    const response = await call('GET', '/auth/sessions', { token });
    expect(response.status).toBe(200);
    return ((await response.json()) as SessionsResponse).sessions;
  };
  const sidOf = async (token: string) => ((await (await me(token)).json()) as { sid: string }).sid;
  const socketOf = async (token: string) => {
    const socket = await connectSocket(`${server.url}/`, { auth: { token } });
    sockets.push(socket);
    return socket;
  };
  const expectEnded = async (tokens: TokenResponse) => {
    await expectError(await me(tokens.access_token), 401, 'token_revoked');
    await expectError(await refresh(tokens.refresh_token), 401, 'token_revoked');
  };
  const expectLive = async (tokens: TokenResponse) => {
    expect((await me(tokens.access_token)).status).toBe(200);
  };

  describe('GET /auth/sessions', () => {
    it('lists the caller’s live sessions with their device, address and times, the most recent first', async () => {
      const username = uniqueUsername('acct');
      await api.addUser(admin.access_token, username);
      const phone = await login(username, undefined, {
        'user-agent': 'Phone/1.0',
        'x-forwarded-for': '203.0.113.7',
      });
      const laptop = await login(username, undefined, {
        'user-agent': 'Laptop/2.0',
        'x-forwarded-for': '203.0.113.8',
      });
      await login('bob');

      const sessions = await list(laptop.access_token);
      expect(sessions).toEqual([
        expect.objectContaining({
          sid: await sidOf(laptop.access_token),
          current: true,
          user_agent: 'Laptop/2.0',
          ip: '203.0.113.8',
        }),
        expect.objectContaining({
          sid: await sidOf(phone.access_token),
          current: false,
          user_agent: 'Phone/1.0',
          ip: '203.0.113.7',
        }),
      ]);
      for (const session of sessions) {
        expect(Object.keys(session).sort()).toEqual(
          ['sid', 'current', 'created_at', 'last_used_at', 'expires_at', 'user_agent', 'ip'].sort(),
        );
        for (const time of [session.created_at, session.last_used_at, session.expires_at])
          expect(time).toMatch(RFC_3339);
        expect(Date.parse(session.created_at)).toBeLessThanOrEqual(Date.parse(session.last_used_at));
        // IOAUTH_SESSION_MAX_AGE: 30 days from the login, whatever the refreshes.
        expect(Date.parse(session.expires_at) - Date.parse(session.created_at)).toBe(2_592_000_000);
      }
    });

    it('moves a session to the top with its last use when it refreshes', async () => {
      const {
        sessions: [first, second],
      } = await newUser(2);
      const before = await list((second as TokenResponse).access_token);
      const refreshed = (await (
        await refresh((first as TokenResponse).refresh_token)
      ).json()) as TokenResponse;
      const after = await list(refreshed.access_token);
      expect(after[0]).toMatchObject({
        sid: before[1]?.sid,
        current: true,
        created_at: before[1]?.created_at,
      });
      expect(Date.parse(after[0]?.last_used_at ?? '')).toBeGreaterThanOrEqual(
        Date.parse(before[1]?.last_used_at ?? ''),
      );
      expect(after[0]?.last_used_at).not.toBe(before[1]?.last_used_at);
    });

    it('shows null for a login that sent no User-Agent', async () => {
      const { username } = await newUser(0);
      // Node's fetch always sends one; node:http sends only the headers given.
      const tokens = await new Promise<TokenResponse>((resolve, reject) => {
        const sent = httpRequest(`${server.url}/auth/login`, {
          method: 'POST',
          headers: { authorization: basic(`${username}:${username}-password`) },
        });
        sent.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(JSON.parse(text) as TokenResponse));
        });
        sent.on('error', reject);
        sent.end();
      });
      expect(await list(tokens.access_token)).toEqual([
        expect.objectContaining({ user_agent: null, ip: '127.0.0.1' }),
      ]);
    });

    it('leaves out ended sessions', async () => {
      const {
        sessions: [ended, current],
      } = await newUser(2);
      await call('POST', '/auth/logout', { token: (ended as TokenResponse).access_token });
      expect((await list((current as TokenResponse).access_token)).map(({ current: own }) => own)).toEqual([
        true,
      ]);
    });

    it.each([
      ['no token', undefined, 'invalid_token'],
      ['a malformed token', 'not.a.token', 'invalid_token'],
    ])('refuses %s with 401', async (_case, token, code) => {
      await expectError(await call('GET', '/auth/sessions', token === undefined ? {} : { token }), 401, code);
    });

    it('refuses the token of an ended session', async () => {
      const {
        sessions: [tokens],
      } = await newUser(1);
      await call('POST', '/auth/logout', { token: (tokens as TokenResponse).access_token });
      await expectError(
        await call('GET', '/auth/sessions', { token: (tokens as TokenResponse).access_token }),
        401,
        'token_revoked',
      );
    });
  });

  describe('DELETE /auth/sessions/{sid}', () => {
    it('ends one of the caller’s other sessions: its tokens stop working and its socket closes', async () => {
      const {
        sessions: [current, other],
      } = await newUser(2);
      const [currentTokens, otherTokens] = [current as TokenResponse, other as TokenResponse];
      const socket = await socketOf(otherTokens.access_token);
      const told = waitFor<{ code: string }>(socket, 'auth:error');
      const response = await call('DELETE', `/auth/sessions/${await sidOf(otherTokens.access_token)}`, {
        token: currentTokens.access_token,
      });
      expect(response.status).toBe(204);
      expect(await told).toMatchObject({ code: 'token_revoked' });
      await expectEnded(otherTokens);
      await expectLive(currentTokens);
    });

    it('ends the current session too, as a logout', async () => {
      const {
        sessions: [tokens],
      } = await newUser(1);
      const own = tokens as TokenResponse;
      expect(
        (await call('DELETE', `/auth/sessions/${await sidOf(own.access_token)}`, { token: own.access_token }))
          .status,
      ).toBe(204);
      await expectEnded(own);
    });

    it('answers 404 not_found for another user’s session, and leaves it live', async () => {
      const {
        sessions: [alice],
      } = await newUser(1);
      const {
        sessions: [bob],
      } = await newUser(1);
      const bobs = bob as TokenResponse;
      await expectError(
        await call('DELETE', `/auth/sessions/${await sidOf(bobs.access_token)}`, {
          token: (alice as TokenResponse).access_token,
        }),
        404,
        'not_found',
      );
      await expectLive(bobs);
      expect((await refresh(bobs.refresh_token)).status).toBe(200);
    });

    it('answers 404 not_found for a session already ended', async () => {
      const {
        sessions: [current, other],
      } = await newUser(2);
      const sid = await sidOf((other as TokenResponse).access_token);
      const token = (current as TokenResponse).access_token;
      expect((await call('DELETE', `/auth/sessions/${sid}`, { token })).status).toBe(204);
      await expectError(await call('DELETE', `/auth/sessions/${sid}`, { token }), 404, 'not_found');
    });

    it.each([
      ['an unknown session id', '0b0e5f3e-52c4-4f1b-9b8a-6d7c2a9e1f00'],
      ['a malformed session id', 'not a sid!'],
      ['a NUL byte', '%00'],
      ['an id of 1000 characters', 'a'.repeat(1000)],
      ['a quote and SQL', "x'%20or%20'1'='1"],
      ['non-ASCII text', '%C3%A9t%C3%A9'],
    ])('answers 404 not_found for %s, never a 500', async (_case, sid) => {
      const {
        sessions: [tokens],
      } = await newUser(1);
      await expectError(
        await call('DELETE', `/auth/sessions/${sid}`, { token: (tokens as TokenResponse).access_token }),
        404,
        'not_found',
      );
    });

    it('answers 400 for a path that is no valid percent-encoding', async () => {
      const {
        sessions: [tokens],
      } = await newUser(1);
      const response = await call('DELETE', '/auth/sessions/%E0%A4%A', {
        token: (tokens as TokenResponse).access_token,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, code: 'invalid_request' });
    });

    it('needs an access token', async () => {
      await expectError(
        await call('DELETE', '/auth/sessions/0b0e5f3e-52c4-4f1b-9b8a-6d7c2a9e1f00'),
        401,
        'invalid_token',
      );
    });
  });

  describe('DELETE /auth/sessions', () => {
    it('ends every session of the caller but the current one, and no one else’s', async () => {
      const {
        sessions: [current, ...others],
      } = await newUser(3);
      const {
        sessions: [stranger],
      } = await newUser(1);
      const socket = await socketOf((others[0] as TokenResponse).access_token);
      const told = waitFor<{ code: string }>(socket, 'auth:error');
      const kept = await socketOf((current as TokenResponse).access_token);

      expect(
        (await call('DELETE', '/auth/sessions', { token: (current as TokenResponse).access_token })).status,
      ).toBe(204);
      expect(await told).toMatchObject({ code: 'token_revoked' });
      for (const other of others) await expectEnded(other);
      await expectLive(current as TokenResponse);
      await expectLive(stranger as TokenResponse);
      expect(await kept.emitWithAck('whoami')).toMatchObject({ sub: expect.any(String) });
      expect((await list((current as TokenResponse).access_token)).length).toBe(1);
    });
  });

  describe('POST /auth/password', () => {
    const change = (token: string, body: unknown) => call('POST', '/auth/password', { token, body });

    it('changes the password and ends every other session and its sockets; the current one goes on', async () => {
      const {
        username,
        sessions: [current, other],
      } = await newUser(2);
      const [own, elsewhere] = [current as TokenResponse, other as TokenResponse];
      const socket = await socketOf(elsewhere.access_token);
      const told = waitFor<{ code: string }>(socket, 'auth:error');
      const kept = await socketOf(own.access_token);

      const response = await change(own.access_token, {
        current_password: `${username}-password`,
        new_password: 'a new and long passphrase',
      });
      expect(response.status).toBe(204);
      expect(await told).toMatchObject({ code: 'token_revoked' });
      await expectEnded(elsewhere);
      await expectLive(own);
      expect((await refresh(own.refresh_token)).status).toBe(200);
      expect(await kept.emitWithAck('whoami')).toMatchObject({ sub: username });
      await login(username, 'a new and long passphrase');
      await expectError(
        await call('POST', '/auth/login', {
          headers: { authorization: basic(`${username}:${username}-password`) },
        }),
        401,
        'invalid_credentials',
      );
    });

    it.each([
      ['a short one', 'short1', 'weak_password'],
      ['"password"', 'password', 'weak_password'],
      ['"12345678"', '12345678', 'weak_password'],
      ['a common one in capitals', 'PASSWORD1', 'weak_password'],
      ['one over 1024 bytes', 'é'.repeat(513), 'weak_password'],
      ['a number', 12345678, 'invalid_request'],
      ['null', null, 'invalid_request'],
    ])('refuses %s as the new password, and changes nothing', async (_case, next, code) => {
      const {
        username,
        sessions: [tokens, other],
      } = await newUser(2);
      const response = await change((tokens as TokenResponse).access_token, {
        current_password: `${username}-password`,
        new_password: next,
      });
      await expectError(response, 400, code);
      await login(username);
      await expectLive(other as TokenResponse);
    });

    it('refuses a wrong current password with 401 invalid_credentials, counted by the login limits', async () => {
      const {
        username,
        sessions: [tokens],
      } = await newUser(1);
      const token = (tokens as TokenResponse).access_token;
      for (let i = 0; i < USER_LIMIT; i += 1) {
        const refused = await change(token, {
          current_password: `wrong-${i}`,
          new_password: 'a new and long passphrase',
        });
        // Never a Basic challenge here: a browser would open its own login dialog over the page.
        expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="ioauth"');
        await expectError(refused, 401, 'invalid_credentials');
      }
      // The username is locked now, for the right password too, here and at login.
      const locked = await change(token, {
        current_password: `${username}-password`,
        new_password: 'a new and long passphrase',
      });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectError(locked, 429, 'rate_limited');
      await expectError(
        await call('POST', '/auth/login', {
          headers: { authorization: basic(`${username}:${username}-password`) },
        }),
        429,
        'rate_limited',
      );
    });

    it.each([
      ['an empty body', undefined, undefined],
      ['no current password', { new_password: 'a new and long passphrase' }, undefined],
      ['no new password', { current_password: 'x' }, undefined],
      ['a JSON array', ['a', 'b'], undefined],
      ['malformed JSON', undefined, '{"current_password":'],
      ['a field of 1 MB', { current_password: 'x', new_password: 'p'.repeat(1_048_576) }, undefined],
    ])('refuses %s with 400 invalid_request, never a 500', async (_case, body, raw) => {
      const {
        sessions: [tokens],
      } = await newUser(1);
      const token = (tokens as TokenResponse).access_token;
      const response =
        raw === undefined
          ? await call('POST', '/auth/password', { token, ...(body === undefined ? {} : { body }) })
          : await call('POST', '/auth/password', { token, raw });
      await expectError(response, 400, 'invalid_request');
    });

    it('needs an access token', async () => {
      await expectError(
        await call('POST', '/auth/password', {
          body: { current_password: 'x', new_password: 'a new and long passphrase' },
        }),
        401,
        'invalid_token',
      );
    });
  });

  it('never writes a password or a token to its logs', () => {
    const logs = server.output();
    for (const secret of [
      'a new and long passphrase',
      'admin-password',
      admin.access_token,
      admin.refresh_token,
    ])
      expect(logs).not.toContain(secret);
  });
});
