import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import {
  AuthError,
  bearerToken,
  hasGrants,
  REQUIRED_ROLES,
  REQUIRED_SCOPES,
  RevocationList,
  TokenService,
} from '@ioauth/auth-core';
import type { AccessTokenClaims } from '@ioauth/contracts';

/**
 * Protects HTTP routes with ioauth access tokens (RFC 6750 Bearer): verifies the token, refuses a revoked
 * session or user, judges `@RequireScopes`/`@RequireRoles` on the grants the token may still use (its own, less
 * any its user lost after it was issued), and leaves the claims with those grants on `request.user`
 * (`@CurrentUser()`). Extend it through the protected hooks.
 * @throws AuthError `token_missing`, `token_invalid`, `token_expired`, `token_revoked` or `forbidden`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: RevocationList,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = this.getRequest(context);
    const token = this.extractToken(request);
    if (token === undefined) throw new AuthError('token_missing', 'a Bearer access token is required');
    const verified = this.tokens.verifyAccessToken(token);
    if (this.revocations.isRevoked(verified)) throw new AuthError('token_revoked', 'the session is revoked');
    // A scope or role taken away bites at once, not at the token's exp (contract v2, grants that change).
    const narrowed = this.revocations.narrowedGrants(verified);
    const claims = narrowed ? { ...verified, ...narrowed } : verified;
    const required = {
      scopes: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [
        context.getHandler(),
        context.getClass(),
      ]),
      roles: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [
        context.getHandler(),
        context.getClass(),
      ]),
    };
    if (!hasGrants(claims, required))
      throw new AuthError('forbidden', 'the token lacks a required scope or role');
    (request as Request & { user: AccessTokenClaims }).user = claims;
    return true;
  }

  /** The request to authenticate. */
  protected getRequest(context: ExecutionContext): Request {
    return context.switchToHttp().getRequest<Request>();
  }

  /** The access token of a request: `Authorization: Bearer <token>` only, never the query (RFC 6750 section 2). */
  protected extractToken(request: Request): string | undefined {
    return bearerToken(request.headers.authorization ?? '');
  }
}
