import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuthCoreModule, type IoauthConfig } from '@ioauth/auth-core';
import { ErrorBodyFilter } from '@ioauth/auth-http';
import { DEMO_NAMESPACES, DemoGatewaysModule } from '@ioauth/demo';
import { WsAuthModule } from '@ioauth/gateway';
import { ObservabilityModule } from '@ioauth/observability';
import { StoreModule } from '@ioauth/store';

/**
 * The socket.io gateway alone (`npm run start:gateway`), with the demo namespaces: scale it to N processes over
 * Redis. With `DATABASE_URL` it also reads the store, for readiness and the revocations made before it started.
 */
@Module({})
export class GatewayAppModule {
  static register(config: IoauthConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        AuthCoreModule.forRoot(config),
        ...(config.databaseUrl ? [StoreModule] : []),
        ObservabilityModule,
        WsAuthModule.forRoot({ namespaces: DEMO_NAMESPACES }),
        DemoGatewaysModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorBodyFilter }],
    };
  }
}
