import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';

import { AuthService } from './auth.service.js';
import { BasicAuthGuard } from './credentials/basic-auth.guard.js';
import { BasicStrategy } from './credentials/basic.strategy.js';
import { LoginRateLimit } from './credentials/login-rate-limit.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { AuthController } from './http/auth.controller.js';
import { JwksController } from './http/jwks.controller.js';
import { TrustProxyCheck } from './http/trust-proxy.check.js';
import { RefreshRateLimit } from './tokens/refresh-rate-limit.js';

/**
 * The HTTP side of ioauth: login, refresh, RFC 7009 revoke, logout, me and JWKS, and the Basic and Bearer guards.
 * Needs `AuthCoreModule` and `StoreModule`. Its own routes answer contract error bodies; install `ErrorBodyFilter`
 * globally for the same on your routes guarded by `JwtAuthGuard`. Set Express's `trust proxy` to
 * `IOAUTH_TRUST_PROXY` (`runHttpApp` does): the per-IP login and refresh limits count `request.ip`; a start-up
 * warning says when they differ.
 */
@Module({
  imports: [PassportModule],
  controllers: [AuthController, JwksController],
  providers: [
    AuthService,
    LoginRateLimit,
    RefreshRateLimit,
    BasicStrategy,
    BasicAuthGuard,
    JwtAuthGuard,
    TrustProxyCheck,
  ],
  exports: [AuthService, JwtAuthGuard, BasicAuthGuard],
})
export class AuthHttpModule {}
