import type { Socket } from 'socket.io-client';

import type { Ack, ExceptionPayload, WhoAmI } from '@ioauth/contracts';
import type { ChatMessage } from '@ioauth/demo-contracts';
import {
  connectSocket,
  refusedConnect,
  startServer,
  waitFor,
  type ServerProcess,
} from '@ioauth/test-support';

import { clientAddress, login, logout, mint, now, SECRET } from './fixtures.js';

const SLOW = 60_000;

describe('socket.io gateway of npm start', () => {
  let server: ServerProcess;
  const open: Socket[] = [];

  beforeAll(async () => {
    server = await startServer({
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: SECRET,
      IOAUTH_ALLOW_QUERY_TOKEN: 'true',
      // Every client comes from 127.0.0.1; each test sends its own X-Forwarded-For to get its own rate limit.
      IOAUTH_TRUST_PROXY: 'loopback',
      IOAUTH_HANDSHAKE_IP_LIMIT: '5',
      IOAUTH_LOGIN_IP_LIMIT: '1000',
    });
  }, SLOW);
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server?.stop();
    expect(server.output()).not.toContain(SECRET);
  }, SLOW);

  const url = (namespace = '/') => `${server.url}${namespace}`;
  const headers = (extra: Record<string, string> = {}) => ({
    extraHeaders: { 'x-forwarded-for': clientAddress(), ...extra },
  });
  const connect = async (namespace: string, options: Parameters<typeof connectSocket>[1] = {}) => {
    const socket = await connectSocket(url(namespace), { ...headers(), ...options });
    open.push(socket);
    return socket;
  };
  const refused = (namespace: string, options: Parameters<typeof connectSocket>[1] = {}) =>
    refusedConnect(url(namespace), { ...headers(), ...options });

  describe('handshake', () => {
    it('accepts auth.token and answers whoami with the claims', async () => {
      const { access_token } = await login(server.url, 'alice');
      const socket = await connect('/', { auth: { token: access_token } });
      const me = await socket.emitWithAck('whoami');
      expect(me).toEqual({ sub: 'alice', scope: 'chat:read chat:write', roles: [], exp: expect.any(Number) });
      expect((me as WhoAmI).exp).toBeGreaterThan(now());
    });

    it('accepts an Authorization: Bearer header', async () => {
      const token = await mint({ sub: 'bob', scope: 'chat:read' });
      const socket = await connect('/', {
        extraHeaders: { authorization: `Bearer ${token}`, 'x-forwarded-for': clientAddress() },
      });
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).sub).toBe('bob');
    });

    it('accepts ?token= when IOAUTH_ALLOW_QUERY_TOKEN=true', async () => {
      const token = await mint({ sub: 'legacy' });
      const socket = await connect('/', { query: { token } });
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).sub).toBe('legacy');
    });

    it('takes auth.token before the header', async () => {
      const [first, second] = await Promise.all([mint({ sub: 'from-auth' }), mint({ sub: 'from-header' })]);
      const socket = await connect('/', {
        auth: { token: first },
        extraHeaders: { authorization: `Bearer ${second}`, 'x-forwarded-for': clientAddress() },
      });
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).sub).toBe('from-auth');
    });

    it.each([
      ['no token', {}, 'token_missing'],
      ['a garbage token', { auth: { token: 'not.a.jwt' } }, 'token_invalid'],
      ['a token that is not a string', { auth: { token: 42 } }, 'token_invalid'],
      ['an oversized token', { auth: { token: 'a'.repeat(9000) } }, 'token_invalid'],
      [
        'a non-Bearer Authorization header',
        { extraHeaders: { authorization: 'Basic YWxpY2U6eA==' } },
        'token_invalid',
      ],
    ])('refuses %s', async (_case, options, code) => {
      const data = await refused('/', {
        ...options,
        extraHeaders: {
          'x-forwarded-for': clientAddress(),
          ...((options as { extraHeaders?: Record<string, string> }).extraHeaders ?? {}),
        },
      });
      expect(data).toEqual({ code, message: expect.any(String) });
    });

    it.each([
      ['expired', { exp: now() - 60, iat: now() - 120, nbf: now() - 120 }, {}, 'token_expired'],
      ['for another audience', { aud: 'other' }, {}, 'token_invalid'],
      ['from another issuer', { iss: 'other' }, {}, 'token_invalid'],
      ['without exp', { exp: undefined }, {}, 'token_invalid'],
      ['with alg none', {}, { alg: 'none' }, 'token_invalid'],
      ['with an unknown kid', {}, { kid: 'unknown' }, 'token_invalid'],
    ])('refuses a token %s', async (_case, claims, header: Record<string, string>, code) => {
      let token = await mint(claims, header['alg'] ? {} : header);
      if (header['alg'] === 'none') {
        const [head, body] = token.split('.');
        const unsigned = JSON.parse(Buffer.from(head ?? '', 'base64url').toString()) as Record<
          string,
          unknown
        >;
        token = `${Buffer.from(JSON.stringify({ ...unsigned, alg: 'none' })).toString('base64url')}.${body}.`;
      }
      expect(await refused('/', { auth: { token } })).toMatchObject({ code });
    });

    it('refuses a logged-out session with token_revoked', async () => {
      const { access_token } = await login(server.url, 'alice');
      expect(await logout(server.url, access_token)).toBe(204);
      expect(await refused('/', { auth: { token: access_token } })).toMatchObject({ code: 'token_revoked' });
    });

    it('refuses handshakes past the per-IP limit with rate_limited', async () => {
      const address = clientAddress();
      const attempts = [];
      for (let attempt = 0; attempt < 6; attempt += 1)
        attempts.push(await refused('/', { extraHeaders: { 'x-forwarded-for': address } }));
      expect(attempts.slice(0, 5).map((data) => data?.code)).toEqual(Array(5).fill('token_missing'));
      expect(attempts[5]).toMatchObject({ code: 'rate_limited' });
      // Another client is not affected.
      expect(await refused('/')).toMatchObject({ code: 'token_missing' });
    });
  });

  describe('namespace policies', () => {
    it('lets anonymous sockets into /public, and tells them they have no user', async () => {
      const socket = await connect('/public');
      expect(await socket.emitWithAck('whoami')).toEqual({
        error: { code: 'token_missing', message: expect.any(String) },
      });
    });

    it('gives a socket that brings a token to /public its user', async () => {
      const socket = await connect('/public', { auth: { token: await mint({ sub: 'carol' }) } });
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).sub).toBe('carol');
    });

    it('refuses an invalid token on /public rather than treating it as anonymous', async () => {
      expect(await refused('/public', { auth: { token: 'garbage' } })).toMatchObject({
        code: 'token_invalid',
      });
    });

    it('lets admin into /admin and refuses alice with forbidden', async () => {
      const admin = await login(server.url, 'admin');
      await connect('/admin', { auth: { token: admin.access_token } });
      const alice = await login(server.url, 'alice');
      expect(await refused('/admin', { auth: { token: alice.access_token } })).toMatchObject({
        code: 'forbidden',
      });
    });
  });

  describe('events', () => {
    it('broadcasts chat:send from alice to bob, and acks it', async () => {
      const alice = await connect('/', { auth: { token: (await login(server.url, 'alice')).access_token } });
      const bob = await connect('/', { auth: { token: (await login(server.url, 'bob')).access_token } });
      const received = waitFor<ChatMessage>(bob, 'chat:message');
      expect(await alice.emitWithAck('chat:send', { text: 'hello bob' })).toEqual({ ok: true });
      expect(await received).toEqual({ from: 'alice', text: 'hello bob', at: expect.any(String) });
    });

    it('refuses chat:send without chat:write: ack error with an ack, exception event without', async () => {
      const bob = await connect('/', { auth: { token: (await login(server.url, 'bob')).access_token } });
      const heard: ChatMessage[] = [];
      bob.on('chat:message', (message: ChatMessage) => heard.push(message));
      const ack = (await bob.emitWithAck('chat:send', { text: 'hi' })) as Ack;
      expect(ack).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      const exception = waitFor<ExceptionPayload>(bob, 'exception');
      bob.emit('chat:send', { text: 'hi' });
      expect(await exception).toEqual({ code: 'forbidden', message: expect.any(String), event: 'chat:send' });
      // The handler never ran: a later whoami round trip proves no broadcast was on its way.
      await bob.emitWithAck('whoami');
      expect(heard).toEqual([]);
    });

    it('answers a malformed payload with invalid_payload', async () => {
      const alice = await connect('/', { auth: { token: await mint() } });
      for (const payload of [{}, { text: 5 }, { text: '' }, 'text', null])
        expect(await alice.emitWithAck('chat:send', payload)).toMatchObject({
          error: { code: 'invalid_payload' },
        });
    });
  });

  describe('revocation', () => {
    it('closes the sockets of a session on logout with auth:error token_revoked', async () => {
      const tokens = await login(server.url, 'alice');
      const socket = await connect('/', { auth: { token: tokens.access_token } });
      const other = await connect('/', { auth: { token: (await login(server.url, 'alice')).access_token } });
      const error = waitFor(socket, 'auth:error');
      const closed = waitFor<string>(socket, 'disconnect');
      const started = performance.now();
      expect(await logout(server.url, tokens.access_token)).toBe(204);
      expect(await error).toEqual({ code: 'token_revoked', message: expect.any(String) });
      expect(await closed).toBe('io server disconnect');
      expect(performance.now() - started).toBeLessThan(1_000);
      // Another session of the same user stays open.
      expect(((await other.emitWithAck('whoami')) as WhoAmI).sub).toBe('alice');
    });

    it('refuses a token that already opened two namespaces once its session is logged out', async () => {
      const { access_token } = await login(server.url, 'alice');
      const sockets = [
        await connect('/', { auth: { token: access_token } }),
        await connect('/public', { auth: { token: access_token } }),
      ];
      const closed = sockets.map((socket) => waitFor<string>(socket, 'disconnect'));
      expect(await logout(server.url, access_token)).toBe(204);
      expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
      // The server has verified this token's signature twice and remembers it; revocation is still checked.
      for (const namespace of ['/', '/public'])
        expect(await refused(namespace, { auth: { token: access_token } })).toMatchObject({
          code: 'token_revoked',
        });
    });

    it('kicks every socket of a user on sessions:kick from /admin, and a token issued after the kick connects again', async () => {
      const bob1 = await connect('/', { auth: { token: (await login(server.url, 'bob')).access_token } });
      const bob2 = await connect('/public', {
        auth: { token: (await login(server.url, 'bob')).access_token },
      });
      const admin = await connect('/admin', {
        auth: { token: (await login(server.url, 'admin')).access_token },
      });
      const errors = Promise.all([waitFor(bob1, 'auth:error'), waitFor(bob2, 'auth:error')]);
      // Listened for before the kick: the kick is acknowledged once stored and applied, so bob's sockets may be
      // closed before the ack arrives.
      const closed = waitFor(bob1, 'disconnect');
      expect(await admin.emitWithAck('sessions:kick', { sub: 'bob' })).toEqual({ ok: true });
      expect(await errors).toEqual([
        { code: 'token_revoked', message: expect.any(String) },
        { code: 'token_revoked', message: expect.any(String) },
      ]);
      await closed;
      // A token minted after the kick is accepted (whole seconds: the kick refuses tokens issued in its second).
      const fresh = await mint({ sub: 'bob', iat: now() + 1, nbf: now() });
      await connect('/', { auth: { token: fresh } });
    });

    it('answers a malformed sessions:kick with invalid_payload', async () => {
      const admin = await connect('/admin', {
        auth: { token: await mint({ sub: 'root', roles: ['admin'] }) },
      });
      expect(await admin.emitWithAck('sessions:kick', { sub: 42 })).toMatchObject({
        error: { code: 'invalid_payload' },
      });
    });
  });
});
