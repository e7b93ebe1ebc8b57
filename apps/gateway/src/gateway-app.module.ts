import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { ErrorBodyFilter } from '@ioauth/auth-http';
import { coreModules, wsAuthModule, type IoauthEnvOptions } from '@ioauth/config';
import { DEMO_NAMESPACES, DemoGatewaysModule } from '@ioauth/demo';
import { ObservabilityModule } from '@ioauth/observability';

/**
 * The socket.io gateway alone (`npm run start:gateway`), with the demo namespaces: scale it to N processes over
 * Redis. With `DATABASE_URL` it also reads the store, for readiness and the revocations made before it started.
 */
@Module({})
export class GatewayAppModule {
  static register(options: IoauthEnvOptions): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ...coreModules(options, { store: false }),
        ObservabilityModule.forRoot(options.observability),
        wsAuthModule(options, { namespaces: DEMO_NAMESPACES }),
        DemoGatewaysModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorBodyFilter }],
    };
  }
}
