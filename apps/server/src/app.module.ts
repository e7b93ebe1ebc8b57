import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuthHttpModule, ErrorBodyFilter } from '@ioauth/auth-http';
import { coreModules, wsAuthModule, type IoauthEnvOptions } from '@ioauth/config';
import { DEMO_NAMESPACES, DemoGatewaysModule } from '@ioauth/demo';
import { ObservabilityModule } from '@ioauth/observability';
import { SessionsModule } from '@ioauth/sessions';

import { DemoPageModule } from './demo-page.module.js';
import { DemoUsersSeeder, DEMO_MODE } from './demo-users.seeder.js';

/**
 * The all-in-one process of `npm start`: HTTP API, socket.io gateway with the demo namespaces, and the demo page; a
 * composition root, with the logic in the libraries.
 */
@Module({})
export class AppModule {
  static register(options: IoauthEnvOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules(options, { store: true }),
        ObservabilityModule.forRoot(options.observability),
        SessionsModule.forRoot(options.sessions),
        AuthHttpModule.forRoot(options.http),
        wsAuthModule(options, { namespaces: DEMO_NAMESPACES }),
        DemoGatewaysModule,
        DemoPageModule.forRoot(),
      ],
      providers: [
        { provide: DEMO_MODE, useValue: options.demo },
        DemoUsersSeeder,
        // Contract error bodies everywhere: unknown routes, body-parser refusals, readiness.
        { provide: APP_FILTER, useClass: ErrorBodyFilter },
      ],
    };
  }
}
