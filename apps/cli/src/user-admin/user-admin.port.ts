import type { AdminUser } from '@ioauth/contracts';

/** A user to add. Grants are checked by the backend, so an import passes them on as the file holds them. */
export interface NewUserRequest {
  username: string;
  password: string;
  scopes?: unknown;
  roles?: unknown;
}

/** What to change of a user; a field left out stays as it is. */
export interface UserChangeRequest {
  scopes?: string[];
  roles?: string[];
  disabled?: boolean;
  password?: string;
}

/**
 * ioauth's users as the CLI's verbs use them, so that each verb is written once: `DirectUserAdmin` works on the
 * store through `UserAdminService`; `RemoteUserAdmin` goes through the admin API of the server that holds the
 * embedded store. Both apply the same checks and the same live effects (they are the same service), and both refuse
 * with the contract's codes: `invalid_request`, `weak_password`, `not_found`, `conflict`.
 */
export interface UserAdminPort {
  /** Every user, by username. */
  list(): Promise<AdminUser[]>;
  /** @throws `conflict` when the username is taken. */
  create(user: NewUserRequest): Promise<AdminUser>;
  /** Disabling or a new password ends the user's sessions; a lost scope or role narrows their live tokens. */
  update(username: string, changes: UserChangeRequest): Promise<AdminUser>;
  /** Removes the user and ends their sessions. */
  remove(username: string): Promise<void>;
  /** Ends every session of the user, live sockets included; returns how many. */
  endSessions(username: string): Promise<number>;
}
