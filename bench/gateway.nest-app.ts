import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { SubscribeMessage, WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Server } from 'socket.io';

import { RequireScopes, RevocationService } from '@ioauth/auth-core';
import { coreModules, loadIoauthOptions, wsAuthModule } from '@ioauth/config';
import { IoauthIoAdapter, WsAuth } from '@ioauth/gateway';

import type { ServerSpec } from './gateway.protocol.js';
import type { Running } from './gateway.server.js';

// The Nest servers of the gateway bench (gateway.server.ts boots them): the ioauth gateway as the README has
// applications mount it, and the same app without ioauth.

// Set by `bootNest`: the gateway hands the socket.io server over to the bench's counters.
let follow: (server: Server) => void = () => undefined;

// The same trivial handler, guarded or not: the difference between the two is the cost of `WsJwtGuard` per event.
@WebSocketGateway()
class OpenGateway implements OnGatewayInit {
  afterInit(server: Server): void {
    follow(server);
  }

  @SubscribeMessage('ping')
  ping(): { ok: true } {
    return { ok: true };
  }
}

@WebSocketGateway()
class GuardedGateway implements OnGatewayInit {
  afterInit(server: Server): void {
    follow(server);
  }

  @SubscribeMessage('ping')
  @WsAuth()
  @RequireScopes('x')
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class BenchGatewayModule {
  static register(spec: ServerSpec, dataDir: string): DynamicModule {
    // Configured as the apps are, from variables.
    const options = loadIoauthOptions({
      IOAUTH_DATA_DIR: dataDir,
      IOAUTH_JWT_ALG: spec.algorithm,
      [spec.algorithm === 'HS256' ? 'IOAUTH_JWT_SECRET' : 'IOAUTH_JWT_PRIVATE_KEY']: spec.key,
      // The handshake limit is per client IP and minute, and every bench handshake comes from 127.0.0.1.
      IOAUTH_HANDSHAKE_IP_LIMIT: '1000000',
      REDIS_URL: spec.redisUrl,
      DATABASE_URL: spec.databaseUrl,
    });
    return {
      module: BenchGatewayModule,
      imports: [
        ...coreModules(options, { store: false }),
        // A budget no bench run reaches: each event still pays for its check, none is refused.
        ...(spec.stack === 'ioauth'
          ? [wsAuthModule(options, { eventBudget: { perSecond: 1e9, burst: 1e9 } })]
          : []),
      ],
      providers: [spec.guarded ? GuardedGateway : OpenGateway],
    };
  }
}

/**
 * `ioauth`: `AuthCoreModule`, `WsAuthModule` and `IoauthIoAdapter`; `nest`: the same app with `AuthCoreModule` but
 * the plain `IoAdapter` and no `WsAuthModule`. Booted without listening; `onServer` gets the socket.io server.
 */
export async function bootNest(
  spec: ServerSpec,
  dataDir: string,
  onServer: (server: Server) => void,
): Promise<Running> {
  follow = onServer;
  const app: INestApplication = await NestFactory.create(BenchGatewayModule.register(spec, dataDir), {
    logger: false,
    abortOnError: false,
  });
  app.useWebSocketAdapter(spec.stack === 'ioauth' ? new IoauthIoAdapter(app) : new IoAdapter(app));
  await app.init();
  return {
    async listen(port) {
      await app.listen(port, '127.0.0.1');
      return ((app.getHttpServer() as HttpServer).address() as AddressInfo).port;
    },
    close: () => app.close(),
    revoke: async (sid, sub) => {
      await app.get(RevocationService).revokeSession(sid, sub, 'logout');
    },
    revokeUser: async (sub) => {
      await app.get(RevocationService).revokeUser(sub, 'admin_kick');
    },
  };
}
