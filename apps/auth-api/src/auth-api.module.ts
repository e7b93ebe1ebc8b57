import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuthCoreModule, type IoauthConfigInput } from '@ioauth/auth-core';
import { AuthHttpModule, ErrorBodyFilter } from '@ioauth/auth-http';
import { ObservabilityModule } from '@ioauth/observability';
import { StoreModule } from '@ioauth/store';

/** The HTTP API alone (`npm run start:api`): scale it to N processes over PostgreSQL and Redis. */
@Module({})
export class AuthApiModule {
  static register(config: IoauthConfigInput): DynamicModule {
    return {
      module: AuthApiModule,
      imports: [AuthCoreModule.forRoot(config), StoreModule, ObservabilityModule, AuthHttpModule],
      providers: [{ provide: APP_FILTER, useClass: ErrorBodyFilter }],
    };
  }
}
