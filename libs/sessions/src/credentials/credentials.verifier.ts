import { Inject, Injectable } from '@nestjs/common';

import { AuthError, AuthEvents, IOAUTH_CLOCK, type Clock } from '@ioauth/auth-core';
import { normalizeUsername } from '@ioauth/store';

import { IOAUTH_USER_DIRECTORY } from '../sessions.constants.js';
import type { SessionUser, UserDirectory } from '../users/user-directory.js';
import { UsernameRateLimit } from './username-rate-limit.js';

/**
 * Checks a username and password for every login method: ioauth's Basic strategy and any Passport strategy a team
 * adds call `verify` from their `validate()`, so each gets the same lockout, directory and answers. A refusal is a
 * `login.failed` event naming the username, never the password.
 */
@Injectable()
export class CredentialsVerifier {
  // When the password of each user `verify` returned began to be checked, for `SessionService.login`.
  private readonly checkedAt = new WeakMap<SessionUser, number>();

  constructor(
    @Inject(IOAUTH_USER_DIRECTORY) private readonly users: UserDirectory,
    private readonly attempts: UsernameRateLimit,
    private readonly events: AuthEvents,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * When the password of a user this verifier returned began to be checked (ms since the epoch), or undefined for a
   * user that did not come from `verify`. A login opens no session if the user was revoked since (a password change,
   * a disable or a kick racing the login).
   */
  passwordCheckedAt(user: SessionUser): number | undefined {
    return this.checkedAt.get(user);
  }

  /**
   * The user these credentials prove, for `SessionService.login`. The username is normalised, then the attempt
   * counts against it before anything else (see `UsernameRateLimit.reserve`): a locked username costs no lookup
   * and no hashing, whatever the password. An unknown or disabled user gets the same answer as a wrong password,
   * after the same work (see `UserDirectory.verifyPassword`). A username no user can have (empty, too long,
   * control characters) is refused at once: those rules are public, so its answer time reveals no user.
   * @throws AuthError `invalid_credentials`; `RateLimitedError` (`rate_limited`) past the per-username limit.
   */
  async verify(rawUsername: string, password: string): Promise<SessionUser> {
    const username = normalizeUsername(rawUsername);
    if (username !== undefined) {
      await this.attempts.reserve(username);
      const startedAt = this.clock.now();
      const user = await this.users.verifyPassword(username, password);
      if (user && !user.disabled) {
        await this.attempts.recordSuccess(username);
        this.checkedAt.set(user, startedAt);
        return user;
      }
    }
    this.events.emit({
      type: 'login.failed',
      ...(username === undefined ? {} : { username }),
      reason: 'invalid_credentials',
    });
    throw new AuthError('invalid_credentials', 'username or password is wrong');
  }
}
