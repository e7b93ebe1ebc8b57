import { Module, type DynamicModule } from '@nestjs/common';

import { AuthCoreModule, type IoauthConfigInput } from '@ioauth/auth-core';
import { AuthHttpModule } from '@ioauth/auth-http';
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
      providers: [DemoUsersSeeder],
    };
  }
}
