import { Module, type DynamicModule } from '@nestjs/common';

import { IOAUTH_CLOCK, systemClock } from '@ioauth/auth-core';
import { coreModules, withBuiltTemplate, type IoauthEnvOptions } from '@ioauth/config';
import { SessionsModule } from '@ioauth/sessions';
import { StoreModule } from '@ioauth/store';

/** The clock the store's purge reads, which `AuthCoreModule` provides when the tokens are booted. */
const clockModule: DynamicModule = {
  module: class CliClockModule {},
  global: true,
  providers: [{ provide: IOAUTH_CLOCK, useValue: systemClock }],
  exports: [IOAUTH_CLOCK],
};

/** What a command works on: the users alone, or the tokens too (keys, sessions, revocations). */
export type CliNeeds = 'users' | 'tokens';

/**
 * What a CLI command needs and no more, since each command is a process of its own that the operator waits for
 * (issue 13): the users' commands open the store alone; the others get the same store, keys, sessions and
 * revocation bus as the server. Never HTTP.
 */
@Module({})
export class CliModule {
  static register(options: IoauthEnvOptions, needs: CliNeeds): DynamicModule {
    return {
      module: CliModule,
      imports:
        needs === 'users'
          ? [clockModule, StoreModule.forRoot(withBuiltTemplate(options.store))]
          : [...coreModules(options, { store: true }), SessionsModule.forRoot(options.sessions)],
    };
  }
}
