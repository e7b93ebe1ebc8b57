import { Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';

import { PasswordController } from './account/password.controller.js';
import { SessionsController } from './account/sessions.controller.js';
import { AdminUserSessionsController } from './admin/admin-user-sessions.controller.js';
import { AdminUsersController } from './admin/admin-users.controller.js';
import { AdminGuard } from './admin/admin.guard.js';
import { LocalAdminKey } from './admin/local-admin-key.js';
import { AUTH_HTTP_SETTINGS } from './auth-http.constants.js';
import {
  AUTH_HTTP_OPTIONS,
  AUTH_HTTP_OPTIONS_TYPE,
  AuthHttpConfigurableModule,
} from './auth-http.module-definition.js';
import type { AuthHttpOptions } from './auth-http.options.js';
import { parseAuthHttpOptions } from './auth-http.options.schema.js';
import { BasicAuthGuard } from './credentials/basic-auth.guard.js';
import { BasicStrategy } from './credentials/basic.strategy.js';
import { RefreshCookie } from './cookies/refresh-cookie.js';
import { LoginRateLimit } from './credentials/login-rate-limit.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { AuthController } from './http/auth.controller.js';
import { JwksController } from './http/jwks.controller.js';
import { TrustProxyCheck } from './http/trust-proxy.check.js';
import { RefreshRateLimit } from './tokens/refresh-rate-limit.js';

/**
 * The HTTP side of ioauth: login (HTTP Basic through Passport), refresh, RFC 7009 revoke, logout, me and JWKS, the
 * caller's sessions and password (`/auth/sessions`, `/auth/password`), the admin API (`/admin/users`, role `admin`),
 * the refresh cookie (`refreshCookie`) and the guards for the app's own routes. Needs `AuthCoreModule`,
 * `StoreModule` and `SessionsModule`. Its own routes answer contract error bodies; install `ErrorBodyFilter`
 * globally for the same on your routes guarded by `JwtAuthGuard`. Another login method is a Passport strategy whose
 * `validate()` calls `CredentialsVerifier.verify`, on a route guarded by `LoginRateLimit` then `AuthGuard('<name>')`
 * that returns `SessionService.login(user)`. Set Express's `trust proxy` to the `trustProxy` option: the per-address
 * limits count `request.ip`; a start-up warning says when they differ. Global by default.
 */
@Module({
  imports: [PassportModule],
  controllers: [
    AuthController,
    JwksController,
    SessionsController,
    PasswordController,
    AdminUsersController,
    AdminUserSessionsController,
  ],
  providers: [
    {
      provide: AUTH_HTTP_SETTINGS,
      useFactory: (options: AuthHttpOptions) => parseAuthHttpOptions(options),
      inject: [AUTH_HTTP_OPTIONS],
    },
    LoginRateLimit,
    RefreshRateLimit,
    BasicStrategy,
    BasicAuthGuard,
    JwtAuthGuard,
    TrustProxyCheck,
    RefreshCookie,
    LocalAdminKey,
    AdminGuard,
  ],
  exports: [AUTH_HTTP_SETTINGS, LoginRateLimit, JwtAuthGuard, BasicAuthGuard],
})
export class AuthHttpModule extends AuthHttpConfigurableModule {
  /**
   * Mounts the module with options given in code, validated before any provider runs.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof AUTH_HTTP_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseAuthHttpOptions(input);
    return super.forRoot(options);
  }
}
