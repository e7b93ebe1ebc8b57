import { Inject, Injectable } from '@nestjs/common';

import { AuthError, IOAUTH_CLOCK, RevocationService, type Clock } from '@ioauth/auth-core';
import {
  DuplicateUserError,
  IOAUTH_SESSIONS,
  IOAUTH_USERS,
  PasswordHasher,
  PasswordPolicy,
  WeakPasswordError,
  type Session,
  type SessionRepository,
  type User,
  type UserChanges,
  type UserRepository,
} from '@ioauth/store';

import { lostGrants, parseGrantList } from './grant-list.js';
import { parseUsername } from './username-input.js';

/** A user to add, as the admin API, the CLI or an import give it. */
export interface NewUserInput {
  username: string;
  password: string;
  scopes?: unknown;
  roles?: unknown;
}

/** What an update may change; a field left out stays as it is. */
export interface UserPatch {
  scopes?: unknown;
  roles?: unknown;
  disabled?: unknown;
  password?: unknown;
}

/** Who asks, when it matters: an admin may not lock themself out, and a password change may keep its session. */
export interface ActingAs {
  /** The admin making the change, who may not remove, disable or un-admin themself. */
  admin?: string;
  /** The session to keep when the password changes (the user's own change); every other one ends. */
  keepSession?: string;
}

const ADMIN_ROLE = 'admin';

/**
 * ioauth's own users (the store's table), managed the same way by the admin API, the CLI and a password change:
 * input checked, the password policy applied (one piece of code, ASVS 5.0 V6.2), and every change that takes
 * something away applied to live tokens and sockets at once, durably (contract v2): disabling, removal and a
 * password change end the user's sessions (`RevocationService.revokeUser`); a lost scope or role narrows the
 * user's earlier tokens (`RevocationService.changeGrants`). The user row is written first: a crash between the two
 * steps leaves tokens that end at their `exp`, and refreshes that see the new state.
 * Every refusal is an `AuthError`: `invalid_request`, `weak_password`, `not_found` or `conflict`.
 */
@Injectable()
export class UserAdminService {
  constructor(
    @Inject(IOAUTH_USERS) private readonly users: UserRepository,
    @Inject(IOAUTH_SESSIONS) private readonly sessionRepository: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly revocations: RevocationService,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /** Every user, by username. */
  list(): Promise<User[]> {
    return this.users.list();
  }

  /** @throws AuthError `not_found`. */
  async get(rawUsername: string): Promise<User> {
    const user = await this.users.findByUsername(parseUsername(rawUsername));
    if (!user) throw notFound();
    return user;
  }

  /** @throws AuthError `invalid_request`, `weak_password` or `conflict` (the username is taken). */
  async create(input: NewUserInput): Promise<User> {
    const username = parseUsername(input.username);
    const scopes = input.scopes === undefined ? [] : parseGrantList(input.scopes, 'scopes');
    const roles = input.roles === undefined ? [] : parseGrantList(input.roles, 'roles');
    const passwordHash = await this.newPasswordHash(input.password);
    try {
      return await this.users.create({ username, passwordHash, scopes, roles }, new Date(this.clock.now()));
    } catch (error) {
      if (error instanceof DuplicateUserError)
        throw new AuthError('conflict', 'a user with this name exists');
      throw error;
    }
  }

  /**
   * Changes a user, then applies what was taken away to their live tokens and sockets: disabling or a new password
   * ends their sessions (all of them, or all but `acting.keepSession`); a lost scope or role narrows their earlier
   * tokens, and their sockets must refresh. Gained grants come with the next token.
   * @throws AuthError `invalid_request`, `weak_password`, `not_found`, or `conflict` for an admin locking
   *   themself out.
   */
  async update(rawUsername: string, patch: UserPatch, acting: ActingAs = {}): Promise<User> {
    const username = parseUsername(rawUsername);
    const changes = await this.changes(patch);
    if (
      acting.admin === username &&
      (changes.disabled === true || changes.roles?.includes(ADMIN_ROLE) === false)
    )
      throw new AuthError('conflict', 'an admin cannot disable themself or drop their own admin role');
    const result = await this.users.update(username, changes, new Date(this.clock.now()));
    if (!result) throw notFound();
    const { before, after } = result;
    if (after.disabled && !before.disabled) {
      await this.revocations.revokeUser(username, 'user_disabled');
    } else if (changes.passwordHash !== undefined) {
      const keep = acting.keepSession;
      await this.revocations.revokeUser(username, 'password_changed', keep ? { exceptSid: keep } : {});
    } else if (lostGrants(before, after)) {
      await this.revocations.changeGrants(username, after.scopes, after.roles);
    }
    return after;
  }

  /**
   * Removes a user, their sessions and tokens ended first and durably: the record outlives the user row, so their
   * tokens stay refused after restarts.
   * @throws AuthError `not_found`, or `conflict` for an admin removing themself.
   */
  async remove(rawUsername: string, acting: ActingAs = {}): Promise<void> {
    const username = parseUsername(rawUsername);
    if (acting.admin === username) throw new AuthError('conflict', 'an admin cannot remove themself');
    if (!(await this.users.findByUsername(username))) throw notFound();
    await this.revocations.revokeUser(username, 'user_removed');
    if (!(await this.users.remove(username))) throw notFound();
  }

  /** A user's sessions that can still be refreshed, the most recently used first. @throws AuthError `not_found`. */
  async sessions(rawUsername: string): Promise<Session[]> {
    const user = await this.get(rawUsername);
    return this.sessionRepository.listLiveSessions(user.username, new Date(this.clock.now()));
  }

  /**
   * Ends every session of a user, live sockets included, on every process.
   * @returns how many live sessions it ended. @throws AuthError `not_found`.
   */
  async endSessions(rawUsername: string): Promise<number> {
    const user = await this.get(rawUsername);
    return this.revocations.revokeUser(user.username, 'admin_kick');
  }

  /**
   * Checks a password about to be set against the policy.
   * @throws AuthError `weak_password`, or `invalid_request` for what is not a string.
   */
  checkNewPassword(password: unknown): string {
    if (typeof password !== 'string') throw new AuthError('invalid_request', 'password must be a string');
    try {
      this.policy.assertAcceptable(password);
    } catch (error) {
      if (error instanceof WeakPasswordError) throw new AuthError('weak_password', error.message);
      throw error;
    }
    return password;
  }

  private newPasswordHash(password: unknown): Promise<string> {
    return this.hasher.hash(this.checkNewPassword(password));
  }

  private async changes(patch: UserPatch): Promise<UserChanges> {
    if (typeof patch !== 'object' || patch === null)
      throw new AuthError('invalid_request', 'the body must be a JSON object');
    const changes: UserChanges = {};
    if (patch.scopes !== undefined) changes.scopes = parseGrantList(patch.scopes, 'scopes');
    if (patch.roles !== undefined) changes.roles = parseGrantList(patch.roles, 'roles');
    if (patch.disabled !== undefined) {
      if (typeof patch.disabled !== 'boolean')
        throw new AuthError('invalid_request', 'disabled must be true or false');
      changes.disabled = patch.disabled;
    }
    if (patch.password !== undefined) changes.passwordHash = await this.newPasswordHash(patch.password);
    return changes;
  }
}

const notFound = () => new AuthError('not_found', 'no such user');
