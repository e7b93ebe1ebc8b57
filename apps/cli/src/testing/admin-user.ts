import type { AdminUser } from '@ioauth/contracts';

/** The moment every user of the CLI's specs was created and last changed. */
const AT = '2026-01-02T03:04:05.000Z';

/** A user as the admin API shows it, with no grants unless `extra` gives some. */
export const adminUser = (username: string, extra: Partial<AdminUser> = {}): AdminUser => ({
  username,
  scopes: [],
  roles: [],
  disabled: false,
  created_at: AT,
  updated_at: AT,
  ...extra,
});
