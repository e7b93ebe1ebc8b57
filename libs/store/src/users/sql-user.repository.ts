import type { SqlClient } from '../sql/sql-client.js';
import {
  DuplicateUserError,
  type NewUser,
  type User,
  type UserChanges,
  type UserRepository,
} from './user.js';

interface UserRow {
  username: string;
  password_hash: string;
  scopes: string[];
  roles: string[];
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const toUser = (row: UserRow): User => ({
  username: row.username,
  passwordHash: row.password_hash,
  scopes: row.scopes,
  roles: row.roles,
  disabled: row.disabled,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** `UserRepository` over SQL, for PGlite and PostgreSQL alike. */
export class SqlUserRepository implements UserRepository {
  constructor(private readonly sql: SqlClient) {}

  async create(user: NewUser, now: Date): Promise<User> {
    const [row] = await this.sql.query<UserRow>(
      `insert into ioauth_users (username, password_hash, scopes, roles, disabled, created_at, updated_at)
       values ($1, $2, $3, $4, false, $5, $5)
       on conflict (username) do nothing
       returning *`,
      [user.username, user.passwordHash, [...(user.scopes ?? [])], [...(user.roles ?? [])], now],
    );
    if (!row) throw new DuplicateUserError();
    return toUser(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const [row] = await this.sql.query<UserRow>('select * from ioauth_users where username = $1', [username]);
    return row && toUser(row);
  }

  async list(): Promise<User[]> {
    return (await this.sql.query<UserRow>('select * from ioauth_users order by username')).map(toUser);
  }

  async remove(username: string): Promise<boolean> {
    const rows = await this.sql.query('delete from ioauth_users where username = $1 returning username', [
      username,
    ]);
    return rows.length > 0;
  }

  async setDisabled(username: string, disabled: boolean, now: Date): Promise<boolean> {
    return (await this.update(username, { disabled }, now)) !== undefined;
  }

  async update(
    username: string,
    changes: UserChanges,
    now: Date,
  ): Promise<{ before: User; after: User } | undefined> {
    // The row lock of `for update` makes a concurrent update wait, then read this one's result as its `before`.
    const [row] = await this.sql.query<
      UserRow & {
        before_scopes: string[];
        before_roles: string[];
        before_disabled: boolean;
        before_password_hash: string;
        before_updated_at: Date;
      }
    >(
      `with before as (select * from ioauth_users where username = $1 for update)
       update ioauth_users u set
         scopes = coalesce($2::text[], u.scopes),
         roles = coalesce($3::text[], u.roles),
         disabled = coalesce($4::boolean, u.disabled),
         password_hash = coalesce($5::text, u.password_hash),
         updated_at = $6
       from before where u.username = before.username
       returning u.*, before.scopes as before_scopes, before.roles as before_roles,
         before.disabled as before_disabled, before.password_hash as before_password_hash,
         before.updated_at as before_updated_at`,
      [
        username,
        changes.scopes ? [...changes.scopes] : null,
        changes.roles ? [...changes.roles] : null,
        changes.disabled ?? null,
        changes.passwordHash ?? null,
        now,
      ],
    );
    if (!row) return undefined;
    const after = toUser(row);
    return {
      before: {
        ...after,
        scopes: row.before_scopes,
        roles: row.before_roles,
        disabled: row.before_disabled,
        passwordHash: row.before_password_hash,
        updatedAt: row.before_updated_at,
      },
      after,
    };
  }
}
