import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import {
  AuthEvents,
  IOAUTH_CLOCK,
  IOAUTH_RATE_LIMIT_STORE,
  RateLimitedError,
  type Clock,
  type RateLimitStore,
} from '@ioauth/auth-core';

import { AUTH_HTTP_SETTINGS } from '../auth-http.constants.js';
import type { AuthHttpSettings } from '../auth-http.options.schema.js';

const WINDOW_MS = 60_000;

/**
 * Brute-force protection of a login route (OWASP ASVS V2.2.1): counts every attempt against the client address
 * (`request.ip`, following the `trustProxy` option) and refuses with 429 past `loginIpLimit` a minute, before any
 * password hashing. Put it before the strategy's guard: `@UseGuards(LoginRateLimit, AuthGuard('local'))`. The
 * per-username limit is `CredentialsVerifier`'s. The counters live in the `RateLimitStore`, shared over Redis.
 */
@Injectable()
export class LoginRateLimit implements CanActivate {
  constructor(
    @Inject(IOAUTH_RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(AUTH_HTTP_SETTINGS) private readonly settings: AuthHttpSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly events: AuthEvents,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const window = await this.store.increment(`login:ip:${request.ip ?? 'unknown'}`, WINDOW_MS);
    if (window.count > this.settings.loginIpLimit) {
      this.events.emit({ type: 'login.failed', reason: 'rate_limited' });
      throw RateLimitedError.until(window.resetAt, this.clock.now());
    }
    return true;
  }
}
