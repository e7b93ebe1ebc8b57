import { createSecretKey, randomUUID } from 'node:crypto';

import { calculateJwkThumbprint, SignJWT } from 'jose';

/** The HS256 secret test apps sign with, so that a test can mint tokens with any claims. Never use it elsewhere. */
export const TEST_SECRET = 'ioauth-testing-kit-secret-for-hs256-tokens-only';

/** Lifetime and claims of a minted token; every claim may be overridden or removed (set to `undefined`). */
export interface MintOptions {
  sub?: string;
  scope?: string;
  roles?: string[];
  sid?: string;
  /** Seconds from now to `exp`; negative for an already expired token. */
  expiresIn?: number;
  /** Seconds from now to `nbf`; positive for a token not valid yet. */
  notBefore?: number;
  /** Claims to set or, with `undefined`, remove. */
  claims?: Record<string, unknown>;
  /** Header parameters to set, such as another `kid`. */
  header?: Record<string, unknown>;
}

/**
 * Mints ioauth access tokens (`typ: at+jwt`, HS256 with the kid ioauth derives from the secret) for an app configured
 * with `algorithm: 'HS256'` and `secret` (by default `TEST_SECRET`), `issuer` and `audience` `ioauth`.
 */
export function tokenMinter(settings: { secret?: string; issuer?: string; audience?: string } = {}) {
  const secret = settings.secret ?? TEST_SECRET;
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const kid = calculateJwkThumbprint({ kty: 'oct', k: Buffer.from(secret, 'utf8').toString('base64url') });
  return async (options: MintOptions = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: settings.issuer ?? 'ioauth',
      aud: settings.audience ?? 'ioauth',
      sub: options.sub ?? 'alice',
      iat: now,
      nbf: now + (options.notBefore ?? 0),
      exp: now + (options.expiresIn ?? 300),
      jti: randomUUID(),
      sid: options.sid ?? randomUUID(),
      scope: options.scope ?? '',
      roles: options.roles ?? [],
      ...options.claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: await kid, ...options.header })
      .sign(key);
  };
}
