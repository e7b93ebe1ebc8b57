import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { createAdapter } from '@socket.io/redis-adapter';

import {
  closeRedis,
  connectRedis,
  IOAUTH_CONFIG,
  IOAUTH_REDIS,
  type IoauthConfig,
  type RedisClient,
} from '@ioauth/auth-core';

import { publishingThroughOutages } from './adapter/adapter-publisher.js';
import { SocketServerSecurity } from './adapter/socket-server-security.js';
import { SocketBudgets } from './budget/socket-budgets.service.js';
import { WsErrorFilter } from './guards/ws-error.filter.js';
import { WsJwtGuard } from './guards/ws-jwt.guard.js';
import { HandshakeAuthenticator } from './handshake/handshake-authenticator.js';
import { WsTokenVerifier } from './handshake/ws-token.verifier.js';
import { TokenLifecycle } from './lifecycle/token-lifecycle.service.js';
import { RecoveryGate } from './recovery/recovery-gate.js';
import { WS_REDIS_ADAPTER } from './ws-auth.constants.js';
import { WsAuthConfigurableModule } from './ws-auth.module-definition.js';
import { WsAuthService } from './ws-auth.service.js';

const GATEWAY_METADATA = 'websockets:is_gateway';
const REDIS_ADAPTER_CLIENTS = 'IOAUTH:WS_REDIS_ADAPTER_CLIENTS';

/**
 * Authenticates every socket.io handshake and event of the app's `@WebSocketGateway`s, without touching them:
 * handshake middleware on every namespace, `WsJwtGuard`, namespace and room policies, the live token lifecycle
 * and revocation kicks, and the Redis adapter when `REDIS_URL` is set. Needs `AuthCoreModule`, and the app must
 * use `IoauthIoAdapter`; it refuses to boot gateways that would otherwise run unauthenticated.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    WsTokenVerifier,
    HandshakeAuthenticator,
    TokenLifecycle,
    SocketServerSecurity,
    SocketBudgets,
    RecoveryGate,
    WsJwtGuard,
    WsErrorFilter,
    WsAuthService,
    {
      provide: REDIS_ADAPTER_CLIENTS,
      // Pub/sub needs connections of its own: a subscribed Redis connection can run nothing else.
      useFactory: async (redis: RedisClient | null, config: IoauthConfig): Promise<RedisClient[]> =>
        redis && config.redisUrl
          ? Promise.all([connectRedis(config.redisUrl), connectRedis(config.redisUrl)])
          : [],
      inject: [IOAUTH_REDIS, IOAUTH_CONFIG],
    },
    {
      provide: WS_REDIS_ADAPTER,
      useFactory: (clients: RedisClient[], config: IoauthConfig) => {
        const [pub, sub] = clients;
        return pub && sub
          ? createAdapter(publishingThroughOutages(pub), sub, { key: `ioauth:${config.issuer}:socket.io` })
          : null;
      },
      inject: [REDIS_ADAPTER_CLIENTS, IOAUTH_CONFIG],
    },
  ],
  exports: [
    WsJwtGuard,
    WsErrorFilter,
    WsAuthService,
    TokenLifecycle,
    SocketServerSecurity,
    SocketBudgets,
    WS_REDIS_ADAPTER,
  ],
})
export class WsAuthModule
  extends WsAuthConfigurableModule
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly security: SocketServerSecurity,
    @Inject(REDIS_ADAPTER_CLIENTS) private readonly redisClients: RedisClient[],
  ) {
    super();
  }

  /** Fails closed: gateways exist but no server was secured, so `IoauthIoAdapter` is not installed. */
  onApplicationBootstrap(): void {
    const gateways = this.discovery
      .getProviders()
      .filter(({ metatype }) => metatype && Reflect.getMetadata(GATEWAY_METADATA, metatype) === true);
    if (gateways.length > 0 && this.security.securedServers === 0) {
      throw new Error(
        'WsAuthModule: the socket.io gateways are not authenticated; install the adapter with ' +
          'app.useWebSocketAdapter(new IoauthIoAdapter(app)) before app.listen()',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.redisClients.map(closeRedis));
  }
}
