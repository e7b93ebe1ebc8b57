import { Module, type DynamicModule } from '@nestjs/common';

import { coreModules, type IoauthEnvOptions } from '@ioauth/config';
import { SessionsModule } from '@ioauth/sessions';

/**
 * What the CLI's commands need, and no more, since each command is a process of its own that the operator waits
 * for (issue 13): the store, keys, sessions and revocation bus of the server, so that `UserAdminService` applies a
 * change to live tokens as the admin API does (issue 14). Never HTTP.
 */
@Module({})
export class CliModule {
  static register(options: IoauthEnvOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [...coreModules(options, { store: true }), SessionsModule.forRoot(options.sessions)],
    };
  }
}
