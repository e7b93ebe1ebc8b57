import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuthCoreModule, type IoauthConfigInput } from '@ioauth/auth-core';
import { AuthHttpModule, ErrorBodyFilter } from '@ioauth/auth-http';
import { DEMO_NAMESPACES, DemoGatewaysModule } from '@ioauth/demo';
import { WsAuthModule } from '@ioauth/gateway';
import { ObservabilityModule } from '@ioauth/observability';
import { StoreModule } from '@ioauth/store';

import { DemoPageModule } from './demo-page.module.js';
import { DemoUsersSeeder } from './demo-users.seeder.js';

/**
 * The all-in-one process of `npm start`: HTTP API, socket.io gateway with the demo namespaces, and the demo page; a
 * composition root, with the logic in the libraries.
 */
@Module({})
export class AppModule {
  static register(config: IoauthConfigInput): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AuthCoreModule.forRoot(config),
        StoreModule,
        ObservabilityModule,
        AuthHttpModule,
        WsAuthModule.forRoot({ namespaces: DEMO_NAMESPACES }),
        DemoGatewaysModule,
        DemoPageModule.forRoot(),
      ],
      // Contract error bodies everywhere: unknown routes, body-parser refusals, readiness.
      providers: [DemoUsersSeeder, { provide: APP_FILTER, useClass: ErrorBodyFilter }],
    };
  }
}
