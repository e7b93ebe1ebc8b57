import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace, Server } from 'socket.io';
import { Manager } from 'socket.io-client';

import { AuthCoreModule, TokenService } from '@ioauth/auth-core';
import { waitFor } from '@ioauth/test-support';

import { WsAuthModule } from '../ws-auth.module.js';
import { IoauthIoAdapter } from './ioauth-io.adapter.js';

const SLOW = 60_000;
const SECRET = 'dynamic-namespaces-spec-secret-long-enough-for-hs256';
const ATTEMPTS = 1_000;
const AT_ONCE = 100;

let server: Server | undefined;

@WebSocketGateway({ namespace: /^\/team-\d+$/ })
class TeamGateway implements OnGatewayInit {
  afterInit(namespace: Namespace): void {
    server = namespace.server;
  }
}

// socket.io keeps every namespace it made, dynamic children included, in a private map.
const namespaces = () => (server as unknown as { _nsps: Map<string, Namespace> })._nsps.size;

describe('dynamic namespaces', () => {
  let app: INestApplication;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-dynamic-'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRoot({ dataDir, algorithm: 'HS256', secret: SECRET }),
        WsAuthModule.forRoot({ handshakeIpLimit: 1_000_000 }),
      ],
      providers: [TeamGateway],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new IoauthIoAdapter(app));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }, SLOW);
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  }, SLOW);

  it(
    `stay bounded: ${ATTEMPTS} refused handshakes on distinct names leave no namespace behind`,
    async () => {
      const before = namespaces();
      // One connection multiplexes every attempt, as a hostile client would.
      const manager = new Manager(url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      try {
        for (let first = 0; first < ATTEMPTS; first += AT_ONCE) {
          const refusals = Array.from({ length: AT_ONCE }, (_, index) => {
            const socket = manager.socket(`/team-${first + index}`);
            const refused = waitFor<{ data?: { code?: string } }>(socket, 'connect_error');
            socket.connect();
            return refused.then((error) => {
              socket.close();
              return error.data?.code;
            });
          });
          expect(new Set(await Promise.all(refusals))).toEqual(new Set(['token_missing']));
        }
      } finally {
        manager.engine?.close();
      }
      expect(namespaces()).toBe(before);
    },
    SLOW,
  );

  it('keep the child a connected socket is in, and drop it once the socket leaves', async () => {
    const manager = new Manager(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const before = namespaces();
    const member = manager.socket('/team-7', {
      auth: {
        token: app.get(TokenService).issueAccessToken({ sub: 'ann', sid: 's', scope: '', roles: [] }).token,
      },
    });
    const connected = waitFor(member, 'connect');
    member.connect();
    await connected;
    expect(namespaces()).toBe(before + 1);
    const child = (server as unknown as { _nsps: Map<string, Namespace> })._nsps.get('/team-7') as Namespace;
    // socket.io removes the child before it emits the socket's `disconnect`.
    const left = waitFor(child.sockets.values().next().value as EventEmitter, 'disconnect');
    member.close();
    manager.engine?.close();
    await left;
    expect(namespaces()).toBe(before);
  });
});
