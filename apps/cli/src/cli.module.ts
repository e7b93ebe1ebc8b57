import { Module, type DynamicModule } from '@nestjs/common';

import { coreModules, type IoauthEnvOptions } from '@ioauth/config';
import { SessionsModule } from '@ioauth/sessions';

/** What the CLI needs: the same store, keys, sessions and revocation bus as the server, and no HTTP. */
@Module({})
export class CliModule {
  static register(options: IoauthEnvOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [...coreModules(options, { store: true }), SessionsModule.forRoot(options.sessions)],
    };
  }
}
