import { Inject, Injectable } from '@nestjs/common';

import {
  AuthError,
  ExternalTokenVerifier,
  IOAUTH_EXTERNAL_VERIFIER,
  isAuthError,
  TokenService,
} from '@ioauth/auth-core';

import type { WsIdentity } from '../identity/ws-identity.js';

/**
 * Turns a token into a socket identity: ioauth's own access tokens, or in verify-only mode the tokens of another
 * backend through auth-core's `ExternalTokenVerifier` (then only those).
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
    return {
      sub: claims.sub,
      sid: claims.sid,
      scope: claims.scope,
      roles: claims.roles,
      exp: claims.exp,
      iat: claims.iat,
    };
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
