import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';

import { AuthCoreModule, IOAUTH_REVOCATION_BUS, TokenService, type RevocationBus } from '@ioauth/auth-core';
import type { WhoAmI } from '@ioauth/contracts';
import { connectSocket, refusedConnect, waitFor } from '@ioauth/test-support';

import { IoauthIoAdapter } from './adapter/ioauth-io.adapter.js';
import { wsIdentity } from './identity/ws-identity.js';
import { WsAuthModule } from './ws-auth.module.js';

const SECRET = 'ws-auth-module-spec-secret-long-enough-for-hs256';
const seenByAppMiddleware: string[] = [];

// A dynamic namespace with a middleware of the application's own: ioauth's must have run before it.
@WebSocketGateway({ namespace: /^\/team-[a-z]+$/ })
class TeamGateway implements OnGatewayInit {
  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      seenByAppMiddleware.push(wsIdentity(socket)?.sub ?? 'nobody');
      next();
    });
  }
}

@WebSocketGateway({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } })
class RootGateway {
  @WebSocketServer() readonly server!: Server;
}

async function boot(adapter: boolean) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-ws-'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthCoreModule.forRoot({ dataDir, algorithm: 'HS256', secret: SECRET }),
      WsAuthModule.forRoot({ namespaces: [{ namespace: /^\/team-/, auth: 'required', roles: ['member'] }] }),
    ],
    providers: [TeamGateway, RootGateway],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (adapter) app.useWebSocketAdapter(new IoauthIoAdapter(app));
  return { app, dataDir };
}

describe('WsAuthModule', () => {
  let app: INestApplication;
  let dataDir: string;
  let url: string;
  let tokens: TokenService;

  beforeAll(async () => {
    ({ app, dataDir } = await boot(true));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    tokens = app.get(TokenService);
  });
  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const token = (sub: string, roles: string[] = [], sid = `sid-${sub}-${Math.random()}`) =>
    tokens.issueAccessToken({ sub, sid, scope: '', roles }).token;

  it('authenticates a dynamic namespace a client joins without ever joining /, before the app’s middleware', async () => {
    const socket = await connectSocket(`${url}/team-blue`, { auth: { token: token('mia', ['member']) } });
    try {
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).sub).toBe('mia');
      expect(seenByAppMiddleware).toEqual(['mia']);
    } finally {
      socket.close();
    }
  });

  it('applies the policy of a dynamic namespace, refusing before the app’s middleware runs', async () => {
    expect(await refusedConnect(`${url}/team-red`, { auth: { token: token('leo') } })).toMatchObject({
      code: 'forbidden',
    });
    expect(await refusedConnect(`${url}/team-red`)).toMatchObject({ code: 'token_missing' });
    expect(seenByAppMiddleware).toEqual(['mia']);
  });

  describe('with connection state recovery', () => {
    let socket: Socket | undefined;
    afterEach(() => socket?.close());

    // A session is recoverable once the client holds an offset, that is after its first broadcast.
    const recoverable = async (auth: { token: string }) => {
      const client = io(`${url}/`, {
        transports: ['websocket'],
        forceNew: true,
        reconnectionDelay: 50,
        auth,
      });
      await waitFor(client, 'connect');
      const tick = waitFor(client, 'tick');
      app.get(RootGateway).server.emit('tick', 1);
      await tick;
      return client;
    };

    it('recovers a session whose token is still good', async () => {
      socket = await recoverable({ token: token('ann') });
      socket.io.engine.close();
      await waitFor(socket, 'connect');
      expect(socket.recovered).toBe(true);
      expect(((await socket.emitWithAck('whoami')) as WhoAmI).sub).toBe('ann');
    });

    it('authenticates a recovered session again: revoked while away means refused', async () => {
      const sid = 'sid-recovery';
      socket = await recoverable({ token: token('ben', [], sid) });
      const bus = app.get<RevocationBus>(IOAUTH_REVOCATION_BUS);
      socket.once(
        'disconnect',
        () => void bus.publish({ kind: 'session', sid, sub: 'ben', reason: 'test', at: Date.now() }),
      );
      socket.io.engine.close();
      const refusal = await waitFor<{ data?: unknown }>(socket, 'connect_error');
      expect(refusal.data).toMatchObject({ code: 'token_revoked' });
    });
  });

  it('refuses to boot gateways without IoauthIoAdapter, rather than leave them unauthenticated', async () => {
    const unsafe = await boot(false);
    try {
      await expect(unsafe.app.init()).rejects.toThrow(/IoauthIoAdapter/);
    } finally {
      await unsafe.app.close().catch(() => undefined);
      await rm(unsafe.dataDir, { recursive: true, force: true });
    }
  });
});
