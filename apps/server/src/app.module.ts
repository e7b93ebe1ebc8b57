import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuthCoreModule, type IoauthConfigInput } from '@ioauth/auth-core';
import { AuthHttpModule, ErrorBodyFilter } from '@ioauth/auth-http';
import { ObservabilityModule } from '@ioauth/observability';
import { StoreModule } from '@ioauth/store';

import { DemoUsersSeeder } from './demo-users.seeder.js';

/** The all-in-one process of `npm start`: a composition root, with the logic in the libraries. */
@Module({})
export class AppModule {
  static register(config: IoauthConfigInput): DynamicModule {
    return {
      module: AppModule,
      imports: [AuthCoreModule.forRoot(config), StoreModule, ObservabilityModule, AuthHttpModule],
      // Contract error bodies everywhere: unknown routes, body-parser refusals, readiness.
      providers: [DemoUsersSeeder, { provide: APP_FILTER, useClass: ErrorBodyFilter }],
    };
  }
}
