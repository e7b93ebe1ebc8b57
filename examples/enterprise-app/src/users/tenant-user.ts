import type { SessionUser } from '@ioauth/sessions';

/** A user of this app: ioauth's `SessionUser` and the tenant it belongs to. */
export interface TenantUser extends SessionUser {
  tenant: string;
}

/** The claims this app adds to ioauth's access tokens. */
export type TenantClaims = { tenant: string };
