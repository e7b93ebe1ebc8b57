import { Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';

import { SocketServerSecurity } from './adapter/socket-server-security.js';
import { SocketBudgets } from './budget/socket-budgets.service.js';
import { WsErrorFilter } from './guards/ws-error.filter.js';
import { WsJwtGuard } from './guards/ws-jwt.guard.js';
import { HandshakeAuthenticator } from './handshake/handshake-authenticator.js';
import { WsTokenVerifier } from './handshake/ws-token.verifier.js';
import { GrantsChange } from './lifecycle/grants-change.js';
import { TokenLifecycle } from './lifecycle/token-lifecycle.service.js';
import { RecoveryGate } from './recovery/recovery-gate.js';
import {
  WS_AUTH_OPTIONS,
  WS_AUTH_OPTIONS_TYPE,
  WsAuthConfigurableModule,
} from './ws-auth.module-definition.js';
import type { WsAuthOptions } from './ws-auth.options.js';
import { parseWsAuthOptions } from './ws-auth.options.schema.js';
import { WsAuthService } from './ws-auth.service.js';
import { WS_AUTH_SETTINGS } from './ws-auth.settings.js';

const GATEWAY_METADATA = 'websockets:is_gateway';

/**
 * Authenticates every socket.io handshake and event of the app's `@WebSocketGateway`s, without touching them:
 * handshake middleware on every namespace, `WsJwtGuard`, namespace and room policies, the live token lifecycle
 * and revocation kicks, and the `adapter` option's socket.io adapter (`@ioauth/redis` for a cluster). Needs
 * `AuthCoreModule`, and the app must use `IoauthIoAdapter`; it refuses to boot gateways that would otherwise run
 * unauthenticated.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: WS_AUTH_SETTINGS,
      useFactory: (options: WsAuthOptions) => parseWsAuthOptions(options),
      inject: [WS_AUTH_OPTIONS],
    },
    WsTokenVerifier,
    GrantsChange,
    HandshakeAuthenticator,
    TokenLifecycle,
    SocketServerSecurity,
    SocketBudgets,
    RecoveryGate,
    WsJwtGuard,
    WsErrorFilter,
    WsAuthService,
  ],
  exports: [WsJwtGuard, WsErrorFilter, WsAuthService, TokenLifecycle, SocketServerSecurity, SocketBudgets],
})
export class WsAuthModule extends WsAuthConfigurableModule implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly security: SocketServerSecurity,
  ) {
    super();
  }

  /**
   * Mounts the module with options given in code, validated before any provider runs.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof WS_AUTH_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseWsAuthOptions(input);
    return super.forRoot(options);
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
}
