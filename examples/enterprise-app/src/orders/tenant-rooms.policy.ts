import type { RoomPolicyRule } from '@ioauth/gateway';

import type { TenantClaims } from '../users/tenant-user.js';

/** A user may be in `tenant:<id>` rooms of its own tenant only: joined, kept on refresh, and restored on recovery. */
export const tenantRooms: RoomPolicyRule<TenantClaims> = {
  room: /^tenant:/,
  allow: (identity, { room }) => room === `tenant:${identity.claims?.tenant}`,
};
