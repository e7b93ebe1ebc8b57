/**
 * A user as logins and refreshes see them: whom the tokens are for and what they may do. A directory may return
 * more fields of its own (a tenant, a display name): the `claims` hook receives the object as the directory
 * returned it.
 */
export interface SessionUser {
  /** The subject of the session and its tokens (`sub`): stable for as long as the user exists. */
  sub: string;
  /** Minted as the space-separated `scope` claim. */
  scopes: readonly string[];
  /** Minted as the `roles` claim. */
  roles: readonly string[];
  /** A disabled user cannot log in, and their sessions end at their next refresh. */
  disabled?: boolean;
}

/**
 * Where logins and refreshes find users: ioauth's users table by default (`StoreUserDirectory`), or the team's own
 * (an existing table with bcrypt hashes, LDAP) given as the `users` option of `SessionsModule`. Sessions refer to a
 * user by `sub` only, so they work with any directory.
 */
export interface UserDirectory<User extends SessionUser = SessionUser> {
  /**
   * The user this password belongs to, or undefined. `username` comes normalised (`normalizeUsername`: NFC, lower
   * case). Must spend the same work on an unknown or disabled user as on a wrong password, as by checking the
   * password against a dummy hash (`PasswordHasher.verifyNothing`): otherwise the answer time tells an attacker
   * which usernames exist (OWASP ASVS V2.2).
   */
  verifyPassword(username: string, password: string): Promise<User | undefined>;
  /**
   * The user behind a session's subject, asked at every refresh: undefined once the user is removed, which ends
   * the session; the scopes and roles it returns are those of the new access token.
   */
  findUser(sub: string): Promise<User | undefined>;
}
