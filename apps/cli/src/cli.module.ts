import { Module, type DynamicModule } from '@nestjs/common';

import { AuthCoreModule, type IoauthConfigInput } from '@ioauth/auth-core';
import { AuthHttpModule } from '@ioauth/auth-http';
import { StoreModule } from '@ioauth/store';

/** What the CLI needs: the same configuration, store, keys and revocation bus as the server, and no HTTP. */
@Module({})
export class CliModule {
  static register(config: IoauthConfigInput): DynamicModule {
    return { module: CliModule, imports: [AuthCoreModule.forRoot(config), StoreModule, AuthHttpModule] };
  }
}
