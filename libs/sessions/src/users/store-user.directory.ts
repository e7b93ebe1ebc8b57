import type { PasswordHasher, User, UserRepository } from '@ioauth/store';

import type { SessionUser, UserDirectory } from './user-directory.js';

const toSessionUser = (user: User): SessionUser => ({
  sub: user.username,
  scopes: user.scopes,
  roles: user.roles,
  disabled: user.disabled,
});

/**
 * The default `UserDirectory`: ioauth's users table (`@ioauth/store`, managed with `npm run ioauth -- users`), with
 * argon2id hashes. The username is the subject.
 */
export class StoreUserDirectory implements UserDirectory {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async verifyPassword(username: string, password: string): Promise<SessionUser | undefined> {
    const user = await this.users.findByUsername(username);
    const valid =
      user !== undefined && !user.disabled
        ? await this.passwords.verify(user.passwordHash, password)
        : await this.passwords.verifyNothing(password);
    return valid && user ? toSessionUser(user) : undefined;
  }

  async findUser(sub: string): Promise<SessionUser | undefined> {
    const user = await this.users.findByUsername(sub);
    return user && toSessionUser(user);
  }
}
