import { Inject, Injectable } from '@nestjs/common';

import { AuthError, IOAUTH_CLOCK, RevocationService, type Clock } from '@ioauth/auth-core';
import { IOAUTH_SESSIONS, type Session, type SessionRepository } from '@ioauth/store';

import { CredentialsVerifier } from '../credentials/credentials.verifier.js';
import { SESSIONS_SETTINGS } from '../sessions.constants.js';
import type { SessionsSettings } from '../sessions.options.schema.js';
import { UserAdminService } from '../users/user-admin.service.js';

/** The caller of a self-service action: the user and the session of their access token. */
export interface AccountCaller {
  sub: string;
  sid: string;
}

/**
 * What a signed-in user may do about their own account: see where they are signed in and end it, and change their
 * password (OWASP ASVS 5.0 V7.5: the user sees and ends their sessions; V7.4.3: a new password ends the others).
 */
@Injectable()
export class AccountService {
  constructor(
    @Inject(IOAUTH_SESSIONS) private readonly sessions: SessionRepository,
    private readonly revocations: RevocationService,
    private readonly credentials: CredentialsVerifier,
    private readonly users: UserAdminService,
    @Inject(SESSIONS_SETTINGS) private readonly settings: SessionsSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller's sessions that can still be refreshed, the most recently used first. */
  liveSessions(caller: AccountCaller): Promise<Session[]> {
    return this.sessions.listLiveSessions(caller.sub, new Date(this.clock.now()));
  }

  /**
   * Ends one of the caller's sessions (the current one too, as a logout), its sockets on every process.
   * @throws AuthError `not_found` for another user's session, one that is over, or an unknown `sid`: which of them
   *   it was is not said, so that no one learns of another user's sessions.
   */
  async endSession(caller: AccountCaller, sid: string): Promise<void> {
    const session = await this.sessions.findSession(sid);
    const now = this.clock.now();
    const live =
      session !== undefined &&
      session.sub === caller.sub &&
      session.revokedAt === undefined &&
      session.expiresAt.getTime() > now &&
      session.absoluteExpiresAt.getTime() > now;
    if (!live) throw new AuthError('not_found', 'no such session');
    await this.revocations.revokeSession(sid, caller.sub, 'session_ended');
  }

  /** Ends every session of the caller but the current one, in one durable step. @returns how many it ended. */
  endOtherSessions(caller: AccountCaller): Promise<number> {
    return this.revocations.revokeUser(caller.sub, 'session_ended', { exceptSid: caller.sid });
  }

  /**
   * Changes the caller's password after checking the current one, and ends every other session of theirs; the
   * current one goes on. The new password is checked first, so a refused one costs no password verification. The
   * current password is checked as a login is (`CredentialsVerifier`): the same per-username limit applies, so a
   * stolen access token cannot be used to guess it.
   * @throws AuthError `weak_password`, `invalid_credentials`, `rate_limited`, or `forbidden` when users live in a
   *   directory of the application's (it owns their passwords).
   */
  async changePassword(caller: AccountCaller, currentPassword: unknown, newPassword: unknown): Promise<void> {
    if (this.settings.users !== undefined)
      throw new AuthError('forbidden', "passwords are managed by the application's user directory");
    if (typeof currentPassword !== 'string' || typeof newPassword !== 'string')
      throw new AuthError('invalid_request', 'current_password and new_password must be strings');
    this.users.checkNewPassword(newPassword);
    await this.credentials.verify(caller.sub, currentPassword);
    await this.users.update(caller.sub, { password: newPassword }, { keepSession: caller.sid });
  }
}
