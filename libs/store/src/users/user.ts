/** A user who can log in. */
export interface User {
  username: string;
  /** PHC string of the password's argon2id hash; never the password. */
  passwordHash: string;
  scopes: string[];
  roles: string[];
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What creating a user takes. */
export interface NewUser {
  username: string;
  passwordHash: string;
  scopes?: readonly string[];
  roles?: readonly string[];
}

/** What `UserRepository.update` may change; a field left out stays as it is. */
export interface UserChanges {
  scopes?: readonly string[];
  roles?: readonly string[];
  disabled?: boolean;
  passwordHash?: string;
}

/** Thrown when a username is taken. */
export class DuplicateUserError extends Error {
  constructor() {
    super('a user with this name exists already');
    this.name = new.target.name;
  }
}

/** Users, behind one interface for every backend. */
export interface UserRepository {
  /**
   * Adds a user.
   * @throws DuplicateUserError when the username is taken.
   */
  create(user: NewUser, now: Date): Promise<User>;
  findByUsername(username: string): Promise<User | undefined>;
  /** Every user, by username. */
  list(): Promise<User[]>;
  /**
   * Removes a user; false when there was no such user. Their sessions stay, referring to the subject, until they
   * expire: revoke them first (`SessionService.revokeUser`, as `users remove` does) so that none of them refreshes.
   */
  remove(username: string): Promise<boolean>;
  /** Disables or re-enables a user; false when there was no such user. */
  setDisabled(username: string, disabled: boolean, now: Date): Promise<boolean>;
  /**
   * Changes a user in one step, and returns the user as it was and as it is now (undefined when there was no such
   * user): what the caller compares to learn which grants were lost. Concurrent updates of one user are
   * serialised, so each one's `before` is the previous one's `after`.
   */
  update(
    username: string,
    changes: UserChanges,
    now: Date,
  ): Promise<{ before: User; after: User } | undefined>;
}
