import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Socket } from 'socket.io';

import {
  AuthError,
  hasGrants,
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  REQUIRED_ROLES,
  REQUIRED_SCOPES,
  RevocationList,
  type Clock,
  type IoauthConfig,
} from '@ioauth/auth-core';

import { wsIdentity, type WsIdentity } from '../identity/ws-identity.js';

interface Requirements {
  scopes: string[] | undefined;
  roles: string[] | undefined;
}

/**
 * Guards `@SubscribeMessage` handlers: the socket must have a user whose token has not expired nor been revoked
 * since the handshake, with the scopes and roles of `@RequireScopes`/`@RequireRoles`. It reads the claims cached
 * on the socket: no signature work per event. Pair it with `WsErrorFilter` (or use `@WsAuth()`) so that a refusal
 * answers the contract's ack error or `exception` event.
 * @throws AuthError `token_missing`, `token_expired`, `token_revoked` or `forbidden`.
 */
@Injectable()
export class WsJwtGuard implements CanActivate {
  // Requirements per handler, read once: the reflector walk is the guard's biggest cost per event.
  private readonly requirements = new WeakMap<object, Requirements>();

  constructor(
    private readonly reflector: Reflector,
    private readonly revocations: RevocationList,
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const identity = this.identity(context);
    if (!identity) throw new AuthError('token_missing', 'this event needs an authenticated socket');
    if (identity.exp !== undefined && this.clock.now() >= (identity.exp + this.config.clockTolerance) * 1000)
      throw new AuthError('token_expired', 'the access token has expired');
    if (this.revocations.isRevoked(identity)) throw new AuthError('token_revoked', 'the session is revoked');
    if (!hasGrants(identity, this.required(context)))
      throw new AuthError('forbidden', 'the token lacks a required scope or role');
    return true;
  }

  /** The identity to check: the one the handshake left on the socket. */
  protected identity(context: ExecutionContext): WsIdentity | undefined {
    return wsIdentity(context.switchToWs().getClient<Socket>());
  }

  private required(context: ExecutionContext): Requirements {
    const handler = context.getHandler();
    let requirements = this.requirements.get(handler);
    if (!requirements) {
      const targets = [handler, context.getClass()];
      requirements = {
        scopes: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets),
        roles: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets),
      };
      this.requirements.set(handler, requirements);
    }
    return requirements;
  }
}
