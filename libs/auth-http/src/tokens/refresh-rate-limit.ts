import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import {
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
 * Per-IP limit of `POST /auth/token` and `POST /auth/revoke` (OWASP ASVS V2.2.1, V11.1.4): each attempt costs a
 * database round trip (a transaction for the refresh grant), so it is counted against `request.ip` (the same
 * client address as the login limit, following the `trustProxy` option) before any of that work, and refused with
 * 429 past `refreshIpLimit` a minute. The counter lives in the `RateLimitStore`, shared over Redis.
 */
@Injectable()
export class RefreshRateLimit implements CanActivate {
  constructor(
    @Inject(IOAUTH_RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(AUTH_HTTP_SETTINGS) private readonly settings: AuthHttpSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const window = await this.store.increment(`refresh:ip:${request.ip ?? 'unknown'}`, WINDOW_MS);
    if (window.count > this.settings.refreshIpLimit)
      throw RateLimitedError.until(window.resetAt, this.clock.now());
    return true;
  }
}
