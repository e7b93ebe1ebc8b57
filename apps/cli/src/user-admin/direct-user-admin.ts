import type { AdminUser } from '@ioauth/contracts';
import { toAdminUser, type UserAdminService } from '@ioauth/sessions';

import type { NewUserRequest, UserAdminPort, UserChangeRequest } from './user-admin.port.js';

/**
 * The users of a store this process opened itself (`DATABASE_URL`, or the embedded store when no server holds it).
 * The CLI acts as the operator, not as an admin user: no self-lockout check applies.
 */
export class DirectUserAdmin implements UserAdminPort {
  constructor(private readonly users: UserAdminService) {}

  async list(): Promise<AdminUser[]> {
    return (await this.users.list()).map(toAdminUser);
  }

  async create(user: NewUserRequest): Promise<AdminUser> {
    return toAdminUser(await this.users.create(user));
  }

  async update(username: string, changes: UserChangeRequest): Promise<AdminUser> {
    return toAdminUser(await this.users.update(username, changes));
  }

  remove(username: string): Promise<void> {
    return this.users.remove(username);
  }

  endSessions(username: string): Promise<number> {
    return this.users.endSessions(username);
  }
}
