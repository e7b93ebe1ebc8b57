import { Module, type DynamicModule } from '@nestjs/common';

import { IOAUTH_USERS, PasswordHasher, type UserRepository } from '@ioauth/store';

import { AccountService } from './account/account.service.js';
import { CredentialsVerifier } from './credentials/credentials.verifier.js';
import { UsernameRateLimit } from './credentials/username-rate-limit.js';
import { SessionService } from './session.service.js';
import { IOAUTH_USER_DIRECTORY, SESSIONS_SETTINGS } from './sessions.constants.js';
import {
  SESSIONS_OPTIONS,
  SESSIONS_OPTIONS_TYPE,
  SessionsConfigurableModule,
} from './sessions.module-definition.js';
import type { SessionsOptions } from './sessions.options.js';
import { parseSessionsOptions, type SessionsSettings } from './sessions.options.schema.js';
import { StoreUserDirectory } from './users/store-user.directory.js';
import { UserAdminService } from './users/user-admin.service.js';

/**
 * Logins, refresh rotation and revocation, without HTTP: `CredentialsVerifier` (for every Passport strategy's
 * `validate()`), `SessionService`, `AccountService` (a user's own sessions and password) and `UserAdminService`
 * (ioauth's users table, for the admin API and the CLI). Needs `AuthCoreModule` and `StoreModule` (sessions are stored there). Users
 * come from the `users` option (a `UserDirectory`; with `forRootAsync` it may be a provider of the app's own) or
 * else from ioauth's users table. Global by default.
 */
@Module({
  providers: [
    {
      provide: SESSIONS_SETTINGS,
      useFactory: (options: SessionsOptions) => parseSessionsOptions(options),
      inject: [SESSIONS_OPTIONS],
    },
    {
      provide: IOAUTH_USER_DIRECTORY,
      useFactory: (settings: SessionsSettings, users: UserRepository, passwords: PasswordHasher) =>
        settings.users ?? new StoreUserDirectory(users, passwords),
      inject: [SESSIONS_SETTINGS, IOAUTH_USERS, PasswordHasher],
    },
    UsernameRateLimit,
    CredentialsVerifier,
    SessionService,
    UserAdminService,
    AccountService,
  ],
  exports: [SessionService, CredentialsVerifier, IOAUTH_USER_DIRECTORY, UserAdminService, AccountService],
})
export class SessionsModule extends SessionsConfigurableModule {
  /**
   * Mounts the module with options given in code, validated before any provider runs.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof SESSIONS_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseSessionsOptions(input);
    return super.forRoot(options);
  }
}
