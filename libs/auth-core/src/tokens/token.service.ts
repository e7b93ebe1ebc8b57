import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from '@ioauth/contracts';

import { AuthError } from '../auth.error.js';
import { IOAUTH_CLOCK, IOAUTH_CONFIG } from '../auth-core.constants.js';
import { epochSeconds, type Clock } from '../clock.js';
import type { IoauthConfig } from '../config/ioauth-config.js';
import { IoauthJwtService } from '../jwt/ioauth-jwt.service.js';

/** Who an access token is for: the user, their session, and what they may do. */
export interface AccessGrant {
  sub: string;
  /** Session id shared by every token refreshed from one login. */
  sid: string;
  scope: readonly string[] | string;
  roles: readonly string[];
}

/** A minted access token and the claims it carries. */
export interface IssuedAccessToken {
  token: string;
  claims: AccessTokenClaims;
}

/**
 * Mints and verifies ioauth access tokens: JWT access-token profile (RFC 9068) with `typ: at+jwt`, and the claims
 * of shared/CONTRACT.md.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: IoauthJwtService,
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Mints an access token for a grant, valid from now for `ttl` seconds (the configured lifetime by default).
   */
  issueAccessToken(grant: AccessGrant, ttl: number = this.config.accessTokenTtl): IssuedAccessToken {
    const now = epochSeconds(this.clock);
    const claims: AccessTokenClaims = {
      iss: this.config.issuer,
      aud: this.config.audience,
      sub: grant.sub,
      iat: now,
      nbf: now,
      exp: now + ttl,
      jti: randomUUID(),
      sid: grant.sid,
      scope: typeof grant.scope === 'string' ? grant.scope : grant.scope.join(' '),
      roles: [...grant.roles],
    };
    return { token: this.jwt.sign(claims, { typ: ACCESS_TOKEN_TYPE }), claims };
  }

  /**
   * Verifies an access token and returns its claims.
   * @throws AuthError `token_invalid` or `token_expired`; nothing else.
   */
  verifyAccessToken(token: string): AccessTokenClaims {
    const claims = this.jwt.verify<Record<string, unknown>>(token, { typ: ACCESS_TOKEN_TYPE });
    if (!isAccessTokenClaims(claims)) throw new AuthError('token_invalid', 'token claims are malformed');
    return claims;
  }
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function isAccessTokenClaims(
  claims: Record<string, unknown>,
): claims is Record<string, unknown> & AccessTokenClaims {
  return (
    isNonEmptyString(claims['sub']) &&
    isNonEmptyString(claims['sid']) &&
    isNonEmptyString(claims['jti']) &&
    typeof claims['scope'] === 'string' &&
    Array.isArray(claims['roles']) &&
    claims['roles'].every((role) => typeof role === 'string') &&
    typeof claims['iat'] === 'number' &&
    typeof claims['nbf'] === 'number'
  );
}
