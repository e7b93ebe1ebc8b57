import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { AuthHttpModule, ErrorBodyFilter } from '@ioauth/auth-http';
import { coreModules, type IoauthEnvOptions } from '@ioauth/config';
import { ObservabilityModule } from '@ioauth/observability';
import { SessionsModule } from '@ioauth/sessions';

/** The HTTP API alone (`npm run start:api`): scale it to N processes over PostgreSQL and Redis. */
@Module({})
export class AuthApiModule {
  static register(options: IoauthEnvOptions): DynamicModule {
    return {
      module: AuthApiModule,
      imports: [
        ...coreModules(options, { store: true }),
        ObservabilityModule.forRoot(options.observability),
        SessionsModule.forRoot(options.sessions),
        AuthHttpModule.forRoot(options.http),
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorBodyFilter }],
    };
  }
}
