import { Module } from '@nestjs/common';

import { TenantUserDirectory } from './tenant-user.directory.js';
import { TenantUsersTable } from './tenant-users.table.js';

/** The app's own users: its table and the directory ioauth's logins use. */
@Module({
  providers: [TenantUsersTable, TenantUserDirectory],
  exports: [TenantUserDirectory],
})
export class UsersModule {}
