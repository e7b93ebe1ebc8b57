import { Injectable, Logger } from '@nestjs/common';
import bcrypt from 'bcryptjs';

import type { UserDirectory } from '@ioauth/sessions';
import { PasswordHasher } from '@ioauth/store';

import type { TenantUser } from './tenant-user.js';
import { TenantUsersTable, type TenantUserRow } from './tenant-users.table.js';

const isBcrypt = (hash: string) => /^\$2[aby]\$/.test(hash);

const toUser = (row: TenantUserRow): TenantUser => ({
  sub: row.username,
  tenant: row.tenant,
  roles: row.roles,
  scopes: row.scopes,
});

/**
 * ioauth's logins and refreshes over this app's own users: bcrypt hashes as a legacy system left them, each upgraded
 * to argon2id (ioauth's `PasswordHasher`) at its first successful login, so the table moves to the stronger hash
 * without a password reset (OWASP ASVS V6.2.x, "password storage").
 */
@Injectable()
export class TenantUserDirectory implements UserDirectory<TenantUser> {
  private readonly logger = new Logger('TenantUserDirectory');

  constructor(
    private readonly table: TenantUsersTable,
    private readonly hasher: PasswordHasher,
  ) {}

  async verifyPassword(username: string, password: string): Promise<TenantUser | undefined> {
    const row = await this.table.find(username);
    // An unknown user costs one argon2id verification, as most users do once upgraded: the answer time does not
    // say which names exist.
    if (!row) return (await this.hasher.verifyNothing(password)) || undefined;
    if (!isBcrypt(row.password_hash))
      return (await this.hasher.verify(row.password_hash, password)) ? toUser(row) : undefined;
    if (!(await bcrypt.compare(password, row.password_hash))) return undefined;
    await this.table.setPasswordHash(row.username, await this.hasher.hash(password));
    this.logger.log({ msg: 'password hash upgraded from bcrypt to argon2id', user: row.username });
    return toUser(row);
  }

  async findUser(sub: string): Promise<TenantUser | undefined> {
    const row = await this.table.find(sub);
    return row && toUser(row);
  }
}
