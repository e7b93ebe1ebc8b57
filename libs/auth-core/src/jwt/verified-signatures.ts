import type { KeyObject } from 'node:crypto';

import { AuthError } from '../auth.error.js';

/**
 * Tokens whose signature verified lately, by their exact text, with the key that verified it. One client sends
 * one token many times: a handshake on each namespace it opens, a Bearer header on each request. Checking the
 * signature again would only repeat work: an ES256 signature costs about 70 µs, the lookup about 1 µs.
 *
 * Only the signature is remembered. Each use still checks the header, that the key is still one that verifies (a
 * retired key fails the token at once), the time claims against the clock of that moment, and whatever the caller
 * checks after verification, such as revocation. The text is canonical base64url (`readJwsHeader`), so a token that
 * differs by one byte is never found here. Failures are never remembered, so a flood of forged tokens costs a full
 * verification each, as before, and never memory. At most `capacity` tokens are kept; the oldest go first.
 */
export class VerifiedSignatures {
  private readonly tokens = new Map<string, KeyObject>();

  constructor(private readonly capacity: number) {}

  /** Whether `key` verified the signature of this exact token lately. */
  verifiedBy(token: string, key: KeyObject): boolean {
    return this.tokens.get(token) === key;
  }

  remember(token: string, key: KeyObject): void {
    if (this.tokens.size >= this.capacity) {
      const oldest = this.tokens.keys().next();
      if (oldest.done !== true) this.tokens.delete(oldest.value);
    }
    this.tokens.set(token, key);
  }
}

/**
 * The claims of a token whose signature verified before, checked against `now` as `jsonwebtoken` checks them:
 * expired from `exp` plus the tolerance on, not valid before `nbf` less the tolerance.
 * @throws AuthError `token_expired`, or `token_invalid` when it is not valid yet.
 */
export function claimsOfVerified(token: string, now: number, tolerance: number): Record<string, unknown> {
  const payload = token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'));
  // A fresh object each time: callers keep claims as `request.user` and may change them.
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (now >= (claims['exp'] as number) + tolerance) throw new AuthError('token_expired', 'token has expired');
  const nbf = claims['nbf'];
  if (typeof nbf === 'number' && nbf > now + tolerance)
    throw new AuthError('token_invalid', 'token is not valid yet');
  return claims;
}
