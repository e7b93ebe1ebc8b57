import type { SqlClient } from '../sql/sql-client.js';
import { DuplicateUserError, type NewUser, type User, type UserRepository } from './user.js';

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
    const rows = await this.sql.query(
      'update ioauth_users set disabled = $2, updated_at = $3 where username = $1 returning username',
      [username, disabled, now],
    );
    return rows.length > 0;
  }
}
