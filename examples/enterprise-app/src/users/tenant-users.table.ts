import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcryptjs';

import { IOAUTH_SQL, type SqlClient } from '@ioauth/store';

/** A row of the app's own users table. */
export interface TenantUserRow {
  username: string;
  password_hash: string;
  tenant: string;
  roles: string[];
  scopes: string[];
}

// The users this example starts with, as a legacy system would hand them over: bcrypt hashes.
const SEED = [
  { username: 'ann', password: 'ann-password', tenant: 'acme', roles: ['member'], scopes: ['orders:write'] },
  {
    username: 'ben',
    password: 'ben-password',
    tenant: 'globex',
    roles: ['member'],
    scopes: ['orders:write'],
  },
  { username: 'ada', password: 'ada-password', tenant: 'acme', roles: ['auditor'], scopes: [] },
];

/**
 * The app's own users table, `app_users`, in the database ioauth's store opened (any SQL database the app owns
 * would do): ioauth's sessions refer to these users by `sub` only.
 */
@Injectable()
export class TenantUsersTable implements OnModuleInit {
  constructor(@Inject(IOAUTH_SQL) private readonly sql: SqlClient) {}

  async onModuleInit(): Promise<void> {
    await this.sql.query(
      `create table if not exists app_users (
         username text primary key,
         password_hash text not null,
         tenant text not null,
         roles text[] not null default '{}',
         scopes text[] not null default '{}'
       )`,
    );
    const [{ count } = { count: 0 }] = await this.sql.query<{ count: number }>(
      'select count(*)::int as count from app_users',
    );
    if (count > 0) return;
    for (const user of SEED) {
      await this.sql.query(
        'insert into app_users (username, password_hash, tenant, roles, scopes) values ($1, $2, $3, $4, $5)',
        [user.username, await bcrypt.hash(user.password, 10), user.tenant, user.roles, user.scopes],
      );
    }
  }

  async find(username: string): Promise<TenantUserRow | undefined> {
    const [row] = await this.sql.query<TenantUserRow>(
      'select username, password_hash, tenant, roles, scopes from app_users where username = $1',
      [username],
    );
    return row;
  }

  async setPasswordHash(username: string, hash: string): Promise<void> {
    await this.sql.query('update app_users set password_hash = $2 where username = $1', [username, hash]);
  }
}
