import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import {
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  IOAUTH_RATE_LIMIT_STORE,
  RateLimitedError,
  type Clock,
  type IoauthConfig,
  type RateLimitStore,
  type WindowCount,
} from '@ioauth/auth-core';
import { AuthMetrics } from '@ioauth/observability';

const IP_WINDOW_MS = 60_000;
const USER_WINDOW_MS = 15 * 60_000;
const userKey = (username: string) => `login:user:${username}`;

/**
 * Brute-force protection of the password check (OWASP ASVS V2.2.1). As a guard of
 * `POST /auth/login` it counts every attempt against the client IP; `AuthService.verifyCredentials` reserves one
 * attempt against the username before hashing. Past either limit the request is refused with 429 before any
 * password hashing. The counters live in the `RateLimitStore`, so N processes over Redis share them.
 */
@Injectable()
export class LoginRateLimit implements CanActivate {
  constructor(
    @Inject(IOAUTH_RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    @Optional() private readonly metrics?: AuthMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const ip = await this.store.increment(`login:ip:${request.ip ?? 'unknown'}`, IP_WINDOW_MS);
    if (ip.count > this.config.loginIpLimit) throw this.refusal(ip);
    return true;
  }

  /**
   * Counts one password attempt against a username, before the password is checked. The count is taken first
   * and in one atomic step (a map update, or INCR in Redis): when the check came first and the failure was
   * recorded after hashing, concurrent attempts all saw the count under the limit, and 30 at once got 15 to 29
   * guesses against a limit of 10. So the limit holds however many attempts are in flight, on every process.
   * @throws RateLimitedError past `loginUserLimit` attempts in 15 minutes since the last success.
   */
  async reserve(username: string): Promise<void> {
    const attempts = await this.store.increment(userKey(username), USER_WINDOW_MS);
    if (attempts.count > this.config.loginUserLimit) throw this.refusal(attempts);
  }

  /** Clears a username's count after a successful login, so that a user's own typos never lock them out. */
  async recordSuccess(username: string): Promise<void> {
    await this.store.reset(userKey(username));
  }

  private refusal(window: WindowCount): RateLimitedError {
    this.metrics?.logins.inc({ result: 'rate_limited' });
    return RateLimitedError.until(window.resetAt, this.clock.now());
  }
}
