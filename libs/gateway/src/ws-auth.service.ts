import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';

import {
  AuthError,
  hasGrants,
  IOAUTH_CLOCK,
  IOAUTH_REVOCATION_BUS,
  type Clock,
  type RevocationBus,
} from '@ioauth/auth-core';

import { wsIdentity } from './identity/ws-identity.js';
import { roomPolicy } from './policy/namespace-policies.js';
import { WS_AUTH_OPTIONS } from './ws-auth.module-definition.js';
import type { WsAuthOptions } from './ws-auth.options.js';

/** What applications do with authenticated sockets: join policed rooms, and kick users or sessions cluster-wide. */
@Injectable()
export class WsAuthService {
  constructor(
    @Inject(WS_AUTH_OPTIONS) private readonly options: WsAuthOptions,
    @Inject(IOAUTH_REVOCATION_BUS) private readonly bus: RevocationBus,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Joins a room if the socket's grants satisfy the room's policy; a later refresh that drops them makes it leave.
   * @throws AuthError `forbidden`.
   */
  async join(socket: Socket, room: string): Promise<void> {
    const policy = roomPolicy(this.options.rooms ?? [], room);
    const identity = wsIdentity(socket);
    if (policy && !(identity && hasGrants(identity, { roles: policy.roles, scopes: policy.scopes })))
      throw new AuthError('forbidden', 'the token lacks a role or scope this room requires');
    await socket.join(room);
  }

  /**
   * Revokes every token a user holds now and closes their sockets on every node (`auth:error` `token_revoked`);
   * tokens minted later, after a new login or refresh, are accepted again.
   */
  async kickUser(sub: string, reason = 'admin_kick'): Promise<void> {
    await this.bus.publish({ kind: 'user', sub, reason, at: this.clock.now() });
  }
}
