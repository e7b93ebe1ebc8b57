import { Module, type DynamicModule } from '@nestjs/common';

import { AuthCoreModule } from '@ioauth/auth-core';
import { AuthHttpModule } from '@ioauth/auth-http';
import { WsAuthModule } from '@ioauth/gateway';
import { ObservabilityModule } from '@ioauth/observability';
import { SessionsModule } from '@ioauth/sessions';
import { SqlKeySetStorage, SqlRevocationLog, StoreModule } from '@ioauth/store';

import { ChatGateway } from './chat.gateway.js';
import { ReaderSeeder } from './reader.seeder.js';

/** The modules of the README's "Mount ioauth in your own Nest app", on the embedded database. */
@Module({})
export class AppModule {
  static register(dataDir: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StoreModule.forRoot({ dataDir }),
        AuthCoreModule.forRootAsync({
          inject: [SqlKeySetStorage, SqlRevocationLog],
          useFactory: (keySetStorage: SqlKeySetStorage, revocationLog: SqlRevocationLog) => ({
            issuer: 'https://chat.example',
            audience: 'chat',
            keySetStorage,
            revocationLog,
          }),
        }),
        SessionsModule.forRoot({}),
        AuthHttpModule.forRoot({}),
        WsAuthModule.forRoot({}),
        ObservabilityModule.forRoot({ metrics: true }),
      ],
      providers: [ChatGateway, ReaderSeeder],
    };
  }
}
