import { Inject, Injectable } from '@nestjs/common';

import {
  AuthError,
  ExternalTokenVerifier,
  IOAUTH_EXTERNAL_VERIFIER,
  isAuthError,
  REGISTERED_CLAIMS,
  TokenService,
} from '@ioauth/auth-core';

import type { WsIdentity } from '../identity/ws-identity.js';

/**
 * Turns a token into a socket identity: ioauth's own access tokens (with the application's own claims, such as
 * `tenant`), or in verify-only mode the tokens of another backend through auth-core's `ExternalTokenVerifier` (then
 * only those).
 */
@Injectable()
export class WsTokenVerifier {
  constructor(
    private readonly tokens: TokenService,
    @Inject(IOAUTH_EXTERNAL_VERIFIER) private readonly external: ExternalTokenVerifier | null,
  ) {}

  /**
   * Verifies a token; synchronous for ioauth's own tokens so that a handshake pays no extra tick.
   * @throws AuthError `token_invalid`, `token_expired`, or `unavailable` when a remote key set cannot be fetched.
   */
  verify(token: string): WsIdentity | Promise<WsIdentity> {
    if (this.external) return this.verifyExternal(this.external, token);
    const claims = this.tokens.verifyAccessToken(token);
    const identity: WsIdentity = {
      sub: claims.sub,
      sid: claims.sid,
      scope: claims.scope,
      roles: claims.roles,
      exp: claims.exp,
      iat: claims.iat,
    };
    const own = appClaims(claims);
    if (own !== undefined) identity.claims = own;
    return identity;
  }

  private async verifyExternal(external: ExternalTokenVerifier, token: string): Promise<WsIdentity> {
    try {
      const identity = await external.verify(token);
      const iat = identity.claims['iat'];
      return {
        sub: identity.sub,
        scope: identity.scope,
        roles: identity.roles,
        claims: identity.claims,
        ...(identity.sid === undefined ? {} : { sid: identity.sid }),
        ...(identity.exp === undefined ? {} : { exp: identity.exp }),
        ...(typeof iat === 'number' ? { iat } : {}),
      };
    } catch (error) {
      if (isAuthError(error)) throw error;
      throw new AuthError('unavailable', 'the token could not be verified', { cause: error });
    }
  }
}

// Only claims beyond ioauth's own are kept, and only when there are some: an idle socket holds no empty object.
// A claim named `__proto__` would set the copy's prototype rather than a property, so it is not copied.
function appClaims(claims: object): Record<string, unknown> | undefined {
  let own: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(claims)) {
    if (REGISTERED_CLAIMS.has(name) || name === '__proto__') continue;
    own ??= {};
    own[name] = value;
  }
  return own;
}
