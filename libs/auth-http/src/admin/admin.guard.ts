import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import { AuthError } from '@ioauth/auth-core';
import type { AccessTokenClaims } from '@ioauth/contracts';

import { JwtAuthGuard } from '../guards/jwt-auth.guard.js';
import { LOCAL_ADMIN_HEADER, LocalAdminKey } from './local-admin-key.js';

const ADMIN_ROLE = 'admin';

// A request a proxy relayed comes from elsewhere, though its TCP peer is a proxy on this machine: the local admin
// key is for the CLI here, which never goes through one.
const relayed = (request: Request) =>
  ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((header) => request.headers[header] !== undefined);

/**
 * Lets in the admin API's callers: a Bearer access token whose roles (after any grants its user lost) hold `admin`,
 * which leaves its claims on `request.user`; or the local admin key from this machine (`LocalAdminKey`), which leaves
 * none, since no user acts.
 * @throws AuthError `invalid_token` for a missing or bad token, or anything but the right key sent straight from a
 *   loopback peer in `X-Ioauth-Local-Admin`; `token_expired`, `token_revoked`; `forbidden` without the role.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtAuthGuard,
    private readonly localAdmin: LocalAdminKey,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request & { user?: AccessTokenClaims }>();
    const presented = request.headers[LOCAL_ADMIN_HEADER];
    if (presented !== undefined) {
      if (relayed(request) || !this.localAdmin.accepts(presented, request.socket.remoteAddress))
        throw new AuthError(
          'invalid_token',
          'the local admin key is wrong, or was not sent from this machine',
        );
      return true;
    }
    this.jwt.canActivate(context);
    if (!request.user?.roles.includes(ADMIN_ROLE))
      throw new AuthError('forbidden', 'the admin API needs the role admin');
    return true;
  }
}
