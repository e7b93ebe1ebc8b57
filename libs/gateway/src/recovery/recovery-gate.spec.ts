import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';

import {
  AuthCoreModule,
  IOAUTH_REVOCATION_BUS,
  TokenService,
  type AuthCoreOptions,
  type RevocationBus,
} from '@ioauth/auth-core';
import { IoauthRedisModule, RedisBackends } from '@ioauth/redis';
import { redisAvailable, TEST_REDIS_URL, waitFor } from '@ioauth/test-support';

import { IoauthIoAdapter } from '../adapter/ioauth-io.adapter.js';
import { WsAuth } from '../guards/ws-auth.decorator.js';
import { WsAuthModule } from '../ws-auth.module.js';
import type { RoomPolicyRule } from '../ws-auth.options.js';
import { WsAuthService } from '../ws-auth.service.js';

const SLOW = 30_000;
const SECRET = 'recovery-gate-spec-secret-long-enough-for-hs256';
const redis = await redisAvailable();

@WebSocketGateway({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } })
@WsAuth()
class RoomsGateway {
  @WebSocketServer() readonly server!: Server;

  constructor(private readonly ws: WsAuthService) {}

  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: ServerSocket, @MessageBody() room: string): Promise<{ ok: true }> {
    await this.ws.join(socket, room);
    return { ok: true };
  }

  @SubscribeMessage('rooms')
  rooms(@ConnectedSocket() socket: ServerSocket): string[] {
    return [...socket.rooms].filter((room) => room !== socket.id).sort();
  }
}

// What reached the client on the wire: event packets are counted as they arrive, before socket.io-client decides
// whether to hand them to the app (it buffers those that arrive before `connect`).
function wireEvents(client: Socket): string[] {
  const events: string[] = [];
  client.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
    if (packet.type === 2 && Array.isArray(packet.data))
      events.push(`${String(packet.data[0])}:${String(packet.data[1])}`);
  });
  return events;
}

// socket.io-client keeps the recovery credentials private; a replay sends them as they were.
const savedSession = (client: Socket) => {
  const saved = client as unknown as { _pid: string; _lastOffset: string };
  return { pid: saved._pid, offset: saved._lastOffset };
};

interface Running {
  app: INestApplication;
  url: string;
  mint(claims: { sub?: string; sid?: string; scope?: string; tenant?: string }): string;
  close(): Promise<void>;
}

// The app of these cases, in-process over a real port: rooms under policy, recovery on.
async function boot(overRedis: boolean): Promise<Running> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-recovery-'));
  const core: AuthCoreOptions = { dataDir, algorithm: 'HS256', secret: SECRET };
  const rooms: RoomPolicyRule[] = [
    { room: /^staff/, scopes: ['staff'] },
    // Asynchronous, as a predicate that asks a directory would be.
    {
      room: /^tenant:/,
      allow: async (identity, { room }) => room === `tenant:${String(identity.claims?.['tenant'])}`,
    },
  ];
  const moduleRef = await Test.createTestingModule({
    imports: overRedis
      ? [
          IoauthRedisModule.forRoot({ url: TEST_REDIS_URL, namespace: `recovery-${randomUUID()}` }),
          AuthCoreModule.forRootAsync({
            inject: [RedisBackends],
            useFactory: async (redis: RedisBackends) => ({
              ...core,
              revocationBus: await redis.revocationBus(),
            }),
          }),
          WsAuthModule.forRootAsync({
            inject: [RedisBackends],
            useFactory: async (redis: RedisBackends) => ({ rooms, adapter: await redis.socketIoAdapter() }),
          }),
        ]
      : [AuthCoreModule.forRoot(core), WsAuthModule.forRoot({ rooms })],
    providers: [RoomsGateway],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useWebSocketAdapter(new IoauthIoAdapter(app));
  await app.listen(0, '127.0.0.1');
  const tokens = app.get(TokenService);
  return {
    app,
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    mint: ({ sub = 'alice', sid = randomUUID(), scope = '', tenant }) =>
      tokens.issueAccessToken({
        sub,
        sid,
        scope,
        roles: [],
        ...(tenant === undefined ? {} : { claims: { tenant } }),
      }).token,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function suite(name: string, overRedis: boolean) {
  (overRedis && !redis ? describe.skip : describe)(name, () => {
    let app: Running;
    let gateway: RoomsGateway;
    const open: Socket[] = [];

    beforeAll(async () => {
      app = await boot(overRedis);
      gateway = app.app.get(RoomsGateway);
    }, SLOW);
    afterEach(() => {
      for (const client of open.splice(0)) client.close();
    });
    afterAll(() => app?.close(), SLOW);

    const client = (auth: Record<string, unknown>) => {
      const socket = io(`${app.url}/`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth,
      });
      open.push(socket);
      return socket;
    };

    // Connected, in `rooms`, and holding an offset (a session is recoverable once the client has one).
    const member = async (token: string, rooms: string[]) => {
      const socket = client({ token });
      await waitFor(socket, 'connect');
      for (const room of rooms) expect(await socket.emitWithAck('join', room)).toEqual({ ok: true });
      const hello = waitFor(socket, 'news');
      gateway.server.emit('news', 'hello');
      await hello;
      return socket;
    };

    // The transport drops (a recoverable disconnect); the server has saved the session once its socket is gone.
    const dropped = async (socket: Socket) => {
      const serverSide = gateway.server.sockets.sockets.get(socket.id as string);
      const closed = serverSide ? waitFor(serverSide, 'disconnect') : Promise.resolve();
      socket.io.engine.close();
      await closed;
    };

    const reconnect = async (socket: Socket, token: string) => {
      socket.auth = { token };
      socket.connect();
      return Promise.race([
        waitFor(socket, 'connect').then(() => undefined),
        waitFor<{ data?: unknown }>(socket, 'connect_error').then((error) => error.data),
      ]);
    };

    if (overRedis) {
      it('restores nothing: @socket.io/redis-adapter does not implement connection state recovery', async () => {
        const socket = await member(app.mint({ scope: 'staff' }), ['staff']);
        await dropped(socket);
        gateway.server.emit('news', 'missed');
        const events = wireEvents(socket);
        expect(await reconnect(socket, app.mint({ scope: 'staff' }))).toBeUndefined();
        expect(socket.recovered).toBe(false);
        expect(await socket.emitWithAck('rooms')).toEqual([]);
        expect(events).toEqual([]);
      });
      return;
    }

    it('recovers a legitimate session: the missed packets, then its rooms', async () => {
      const token = app.mint({ scope: 'staff' });
      const socket = await member(token, ['staff', 'lobby']);
      await dropped(socket);
      gateway.server.to('staff').emit('news', 'for staff');
      gateway.server.to('lobby').emit('news', 'for the lobby');
      gateway.server.to('elsewhere').emit('news', 'not for it');
      const events = wireEvents(socket);
      expect(await reconnect(socket, token)).toBeUndefined();
      expect(socket.recovered).toBe(true);
      expect(await socket.emitWithAck('rooms')).toEqual(['lobby', 'staff']);
      expect(events).toEqual(['news:for staff', 'news:for the lobby']);
      const live = waitFor(socket, 'news');
      gateway.server.to('staff').emit('news', 'live');
      expect(await live).toBe('live');
    });

    it('delivers nothing to a reconnect whose token was revoked meanwhile, and refuses it', async () => {
      const sid = randomUUID();
      const socket = await member(app.mint({ sub: 'ben', sid, scope: 'staff' }), ['staff']);
      await dropped(socket);
      await app.app
        .get<RevocationBus>(IOAUTH_REVOCATION_BUS)
        .publish({ kind: 'session', sid, sub: 'ben', reason: 'logout', at: Date.now() });
      gateway.server.emit('news', 'to everyone');
      gateway.server.to('staff').emit('news', 'for staff');
      const events = wireEvents(socket);
      const token = app.mint({ sub: 'ben', sid, scope: 'staff' });
      expect(await reconnect(socket, token)).toMatchObject({ code: 'token_revoked' });
      expect(events).toEqual([]);
    });

    it('keeps a room out of a recovery whose new token lacks its scope, and the room’s missed traffic too', async () => {
      const socket = await member(app.mint({ sub: 'cy', scope: 'staff' }), ['staff', 'lobby']);
      await dropped(socket);
      gateway.server.to('staff').emit('news', 'for staff');
      gateway.server.to('lobby').emit('news', 'for the lobby');
      gateway.server.emit('news', 'to everyone');
      const events = wireEvents(socket);
      expect(await reconnect(socket, app.mint({ sub: 'cy', scope: '' }))).toBeUndefined();
      expect(await socket.emitWithAck('rooms')).toEqual(['lobby']);
      expect(events).toEqual(['news:for the lobby', 'news:to everyone']);
      gateway.server.to('staff').emit('news', 'still for staff');
      const after = waitFor(socket, 'news');
      gateway.server.to('lobby').emit('news', 'lobby again');
      expect(await after).toBe('lobby again');
      expect(events).not.toContain('news:still for staff');
    });

    it('keeps a room out of a recovery whose new token the room’s predicate refuses, and its missed traffic', async () => {
      const socket = await member(app.mint({ sub: 'flo', tenant: 'acme' }), ['tenant:acme', 'lobby']);
      await dropped(socket);
      gateway.server.to('tenant:acme').emit('news', 'for acme');
      gateway.server.to('lobby').emit('news', 'for the lobby');
      const events = wireEvents(socket);
      expect(await reconnect(socket, app.mint({ sub: 'flo', tenant: 'globex' }))).toBeUndefined();
      expect(socket.recovered).toBe(true);
      expect(await socket.emitWithAck('rooms')).toEqual(['lobby']);
      expect(events).toEqual(['news:for the lobby']);
    });

    it('recovers a room whose predicate still admits the new token', async () => {
      const socket = await member(app.mint({ sub: 'gus', tenant: 'acme' }), ['tenant:acme']);
      await dropped(socket);
      gateway.server.to('tenant:acme').emit('news', 'for acme');
      const events = wireEvents(socket);
      expect(await reconnect(socket, app.mint({ sub: 'gus', tenant: 'acme' }))).toBeUndefined();
      expect(await socket.emitWithAck('rooms')).toEqual(['tenant:acme']);
      expect(events).toEqual(['news:for acme']);
    });

    it('restores a saved session once: the same recovery replayed restores nothing', async () => {
      const token = app.mint({ sub: 'dee', scope: 'staff' });
      const socket = await member(token, ['staff']);
      const saved = savedSession(socket);
      await dropped(socket);
      gateway.server.to('staff').emit('news', 'missed');
      expect(await reconnect(socket, token)).toBeUndefined();
      expect(socket.recovered).toBe(true);

      const replay = client({ token, ...saved });
      const events = wireEvents(replay);
      await waitFor(replay, 'connect');
      expect(replay.recovered).toBe(false);
      expect(replay.id).not.toBe(socket.id);
      expect(await replay.emitWithAck('rooms')).toEqual([]);
      expect(events).toEqual([]);
    });

    it('restores nothing to another user presenting a saved session', async () => {
      const socket = await member(app.mint({ sub: 'eve', scope: 'staff' }), ['staff']);
      const saved = savedSession(socket);
      await dropped(socket);
      gateway.server.to('staff').emit('news', 'for eve');
      const intruder = client({ token: app.mint({ sub: 'mallory', scope: 'staff' }), ...saved });
      const events = wireEvents(intruder);
      await waitFor(intruder, 'connect');
      expect(intruder.recovered).toBe(false);
      expect(await intruder.emitWithAck('rooms')).toEqual([]);
      expect(events).toEqual([]);
    });
  });
}

suite('connection state recovery (in-memory adapter)', false);
suite('connection state recovery (@socket.io/redis-adapter)', true);
