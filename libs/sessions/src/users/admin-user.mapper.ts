import type { AdminUser } from '@ioauth/contracts';
import type { User } from '@ioauth/store';

/** A stored user as the admin API shows it: never its password hash. */
export function toAdminUser(user: User): AdminUser {
  return {
    username: user.username,
    scopes: [...user.scopes],
    roles: [...user.roles],
    disabled: user.disabled,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
