import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from '@ioauth/contracts';

import { AuthError } from '../auth.error.js';
import { IOAUTH_CLOCK } from '../auth-core.constants.js';
import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import { AUTH_CORE_SETTINGS } from '../auth-core.settings.js';
import { epochSeconds, type Clock } from '../clock.js';
import { IoauthJwtService } from '../jwt/ioauth-jwt.service.js';

/** Who an access token is for: the user, their session, and what they may do. */
export interface AccessGrant {
  sub: string;
  /** Session id shared by every token refreshed from one login. */
  sid: string;
  scope: readonly string[] | string;
  roles: readonly string[];
  /** Claims of the application's own, such as `tenant`; a registered claim here is refused. */
  claims?: Readonly<Record<string, unknown>>;
}

/** Claims ioauth sets itself: an application's claims may not replace them. */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'sid',
  'typ',
  'scope',
  'roles',
]);

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
    @Inject(AUTH_CORE_SETTINGS) private readonly config: AuthCoreSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Mints an access token for a grant, valid from now for `ttl` seconds (the configured lifetime by default).
   * @throws TypeError when the grant's own claims name a registered claim: the claims that say who the token is
   *   for, until when and for what are ioauth's alone (RFC 8725 section 3.10 and RFC 9068 section 2.2).
   */
  issueAccessToken(grant: AccessGrant, ttl: number = this.config.accessTokenTtl): IssuedAccessToken {
    const own = grant.claims ?? {};
    const registered = Object.keys(own).find((name) => REGISTERED_CLAIMS.has(name));
    if (registered !== undefined) throw new TypeError(`the registered claim ${registered} cannot be set`);
    const now = epochSeconds(this.clock);
    const claims: AccessTokenClaims = {
      ...own,
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

  /**
   * Until when, in ms since the epoch, a token expiring at `exp` (seconds) is still accepted: the same clock
   * tolerance as verification, so that a socket is never refused or closed while its token would still verify.
   */
  acceptedUntil(exp: number): number {
    return (exp + this.config.clockTolerance) * 1000;
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
