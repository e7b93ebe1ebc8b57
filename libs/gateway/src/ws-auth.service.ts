import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';

import { AuthError, RevocationService, type RevocationReason } from '@ioauth/auth-core';

import { wsIdentity } from './identity/ws-identity.js';
import { mayHoldRoom } from './policy/policy-check.js';
import { WS_AUTH_OPTIONS } from './ws-auth.module-definition.js';
import type { WsAuthOptions } from './ws-auth.options.js';

/** What applications do with authenticated sockets: join policed rooms, and kick users or sessions cluster-wide. */
@Injectable()
export class WsAuthService {
  constructor(
    @Inject(WS_AUTH_OPTIONS) private readonly options: WsAuthOptions,
    private readonly revocations: RevocationService,
  ) {}

  /**
   * Joins a room if the socket meets the room's policy (its grants, then its predicate); a later refresh that fails
   * the policy makes it leave.
   * @throws AuthError `forbidden`.
   */
  async join(socket: Socket, room: string): Promise<void> {
    const verdict = mayHoldRoom(this.options.rooms ?? [], wsIdentity(socket), room, socket);
    if (!(typeof verdict === 'boolean' ? verdict : await verdict))
      throw new AuthError('forbidden', 'the room policy refuses this socket');
    await socket.join(room);
  }

  /**
   * Ends every session of a user and closes their sockets on every node (`auth:error` `token_revoked`). With the
   * store, the kick is recorded before this resolves: the user's refresh tokens are spent and their access tokens
   * stay refused across restarts; only a new login lets them in again. Without the store it holds in memory and
   * on the bus only.
   * @throws when the store cannot record it (nothing is revoked then).
   */
  async kickUser(sub: string, reason: RevocationReason = 'admin_kick'): Promise<void> {
    await this.revocations.revokeUser(sub, reason);
  }
}
