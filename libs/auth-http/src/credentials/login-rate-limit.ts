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
import { normalizeUsername } from '@ioauth/store';

import { parseBasicAuthorization } from './basic-credentials.js';

const IP_WINDOW_MS = 60_000;
const USER_WINDOW_MS = 15 * 60_000;
const userKey = (username: string) => `login:user:${username}`;

/**
 * Brute-force protection of `POST /auth/login` (OWASP ASVS V2.2.1): every attempt counts against the client IP,
 * every failure against the username; past either limit the request is refused with 429 before any password
 * hashing. The counters live in the `RateLimitStore`, so N processes over Redis share them.
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
    const now = this.clock.now();
    const ip = await this.store.increment(`login:ip:${request.ip ?? 'unknown'}`, IP_WINDOW_MS);
    if (ip.count > this.config.loginIpLimit) throw this.refusal(ip, now);
    const username = normalizeUsername(
      parseBasicAuthorization(request.headers.authorization)?.username ?? '',
    );
    if (username !== undefined) {
      const failures = await this.store.peek(userKey(username));
      if (failures && failures.count >= this.config.loginUserLimit) throw this.refusal(failures, now);
    }
    return true;
  }

  /** Counts a failed login against a username. */
  async recordFailure(username: string): Promise<void> {
    await this.store.increment(userKey(username), USER_WINDOW_MS);
  }

  /** Clears a username's failures after a successful login. */
  async recordSuccess(username: string): Promise<void> {
    await this.store.reset(userKey(username));
  }

  private refusal(window: WindowCount, now: number): RateLimitedError {
    this.metrics?.logins.inc({ result: 'rate_limited' });
    return new RateLimitedError(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
  }
}
