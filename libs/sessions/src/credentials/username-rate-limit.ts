import { Inject, Injectable } from '@nestjs/common';

import {
  AuthEvents,
  IOAUTH_CLOCK,
  IOAUTH_RATE_LIMIT_STORE,
  RateLimitedError,
  type Clock,
  type RateLimitStore,
} from '@ioauth/auth-core';

import { SESSIONS_SETTINGS } from '../sessions.constants.js';
import type { SessionsSettings } from '../sessions.options.schema.js';

const WINDOW_MS = 15 * 60_000;
const userKey = (username: string) => `login:user:${username}`;

/**
 * Brute-force protection of one username (OWASP ASVS V2.2.1), whatever the login method: `CredentialsVerifier`
 * reserves an attempt before any password is checked, and past the limit the attempt is refused with 429 before
 * any hashing. The counters live in the `RateLimitStore`, so N processes over Redis share them.
 */
@Injectable()
export class UsernameRateLimit {
  constructor(
    @Inject(IOAUTH_RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(SESSIONS_SETTINGS) private readonly settings: SessionsSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly events: AuthEvents,
  ) {}

  /**
   * Counts one password attempt against a username, before the password is checked. The count is taken first
   * and in one atomic step (a map update, or INCR in Redis): when the check came first and the failure was
   * recorded after hashing, concurrent attempts all saw the count under the limit, and 30 at once got 15 to 29
   * guesses against a limit of 10. So the limit holds however many attempts are in flight, on every process.
   * @throws RateLimitedError past `loginUserLimit` attempts in 15 minutes since the last success.
   */
  async reserve(username: string): Promise<void> {
    const attempts = await this.store.increment(userKey(username), WINDOW_MS);
    if (attempts.count > this.settings.loginUserLimit) {
      this.events.emit({ type: 'login.failed', username, reason: 'rate_limited' });
      throw RateLimitedError.until(attempts.resetAt, this.clock.now());
    }
  }

  /** Clears a username's count after a successful login, so that a user's own typos never lock them out. */
  async recordSuccess(username: string): Promise<void> {
    await this.store.reset(userKey(username));
  }
}
