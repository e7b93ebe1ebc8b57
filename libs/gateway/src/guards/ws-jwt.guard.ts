import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Socket } from 'socket.io';

import {
  AuthError,
  hasGrants,
  IOAUTH_CLOCK,
  REQUIRED_ROLES,
  REQUIRED_SCOPES,
  RevocationList,
  TokenService,
  type Clock,
} from '@ioauth/auth-core';

import { wsIdentity, type WsIdentity } from '../identity/ws-identity.js';
import { askPredicate } from '../policy/policy-check.js';
import type { EventPredicate } from '../policy/policy-predicate.js';
import { ALLOW_IF } from './allow-if.decorator.js';

interface Requirements {
  scopes: string[] | undefined;
  roles: string[] | undefined;
  allow: EventPredicate | undefined;
}

/**
 * Guards `@SubscribeMessage` handlers: the socket must have a user whose token has not expired nor been revoked
 * since the handshake, with the scopes and roles of `@RequireScopes`/`@RequireRoles`, whom the predicate of
 * `@AllowIf` (if any) admits. It reads the claims cached on the socket: no signature work per event, and no promise
 * unless a predicate answers with one. Pair it with `WsErrorFilter` (or use `@WsAuth()`) so that a refusal
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
    private readonly tokens: TokenService,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const identity = this.identity(context);
    if (!identity) throw new AuthError('token_missing', 'this event needs an authenticated socket');
    if (identity.exp !== undefined && this.clock.now() >= this.tokens.acceptedUntil(identity.exp))
      throw new AuthError('token_expired', 'the access token has expired');
    if (this.revocations.isRevoked(identity)) throw new AuthError('token_revoked', 'the session is revoked');
    const required = this.required(context);
    if (!hasGrants(identity, required))
      throw new AuthError('forbidden', 'the token lacks a required scope or role');
    return required.allow === undefined ? true : this.ask(required.allow, identity, context);
  }

  /** The identity to check: the one the handshake left on the socket. */
  protected identity(context: ExecutionContext): WsIdentity | undefined {
    return wsIdentity(context.switchToWs().getClient<Socket>());
  }

  private ask(
    predicate: EventPredicate,
    identity: WsIdentity,
    context: ExecutionContext,
  ): boolean | Promise<boolean> {
    const ws = context.switchToWs();
    const verdict = askPredicate(predicate, identity, {
      event: ws.getPattern(),
      data: ws.getData<unknown>(),
      socket: ws.getClient<Socket>(),
    });
    const admitted = (yes: boolean) => {
      if (!yes) throw new AuthError('forbidden', 'the event policy refuses this socket');
      return true;
    };
    return typeof verdict === 'boolean' ? admitted(verdict) : verdict.then(admitted);
  }

  private required(context: ExecutionContext): Requirements {
    const handler = context.getHandler();
    let requirements = this.requirements.get(handler);
    if (!requirements) {
      const targets = [handler, context.getClass()];
      requirements = {
        scopes: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets),
        roles: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets),
        allow: this.reflector.getAllAndOverride<EventPredicate | undefined>(ALLOW_IF, targets),
      };
      this.requirements.set(handler, requirements);
    }
    return requirements;
  }
}
