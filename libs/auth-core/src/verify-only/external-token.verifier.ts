import { createPublicKey, createSecretKey, KeyObject, type JsonWebKey, type webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { Logger } from '@nestjs/common';
import { JwtService, type JwtVerifyOptions } from '@nestjs/jwt';
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';

import { AuthError } from '../auth.error.js';
import { epochSeconds, type Clock } from '../clock.js';
import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import { OptionsError } from '../options/options.error.js';
import { readJwsHeader, typMatches, type JwsHeader } from '../jwt/jws-header.js';
import { toAuthError } from '../jwt/jwt-errors.js';
import { JWT_KEY, keyFromOptions } from '../jwt/jwt-key.js';
import { checkNumericDates } from '../jwt/numeric-date.js';
import { readClaim } from './claim-path.js';
import { remoteKeySet, type JwksTimings } from './remote-key-set.js';

export type { JwksTimings } from './remote-key-set.js';

/** Who a token minted by another backend says the caller is. */
export interface ExternalIdentity {
  /** Subject, read from the configured claim path. */
  sub: string;
  /** Space-separated scopes from `scope` (or an `scp` array); empty when the token has none. */
  scope: string;
  roles: string[];
  /** Expiry in seconds since the epoch; unset only when `IOAUTH_REQUIRE_EXP=false` let a token without it in. */
  exp?: number;
  sid?: string;
  jti?: string;
  /** Every claim, for applications that map more of them. */
  claims: Record<string, unknown>;
}

type KeyResolver = (header: JwsHeader) => Promise<KeyObject>;

const DEFAULT_TIMINGS: JwksTimings = { timeoutMs: 5_000, cooldownMs: 30_000, maxAgeMs: 600_000 };
// Asymmetric algorithms a JWKS key may verify; the key's own type narrows it further (RFC 8725 section 3.1).
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const SECRET_ALGORITHMS = ['HS256'];
// Explicit typing (RFC 8725 section 3.11): a token whose `typ` names another kind of JWT (a DPoP proof `dpop+jwt`,
// RFC 9449; a logout or security event token, RFC 8417; a refresh token the other backend types itself) is no
// access token, even when the same key signed it. An untyped token, or one typed as a plain JWT or an RFC 9068
// access token, is what backends that mint access tokens send, so those are accepted.
const ACCEPTED_TYPES = ['JWT', 'at+jwt'];
const logger = new Logger('ExternalTokenVerifier');

/**
 * Verify-only mode: trusts tokens minted by another backend (the PHP frontend of the original case) through a
 * shared HS256 secret, a JWKS URL (cached, requested at most once per cooldown whether it answers or fails, with a
 * timeout) or a JWKS file. `iss` and `aud` are required when configured; `exp` is required unless `requireExp` is
 * off; `exp`, `nbf` and `iat` must be times in seconds, `iat` not in the future; a `typ`, if any, must be `JWT` or
 * `at+jwt`.
 */
export class ExternalTokenVerifier {
  private readonly jwt = new JwtService({ secretOrKeyProvider: keyFromOptions });

  private constructor(
    private readonly config: AuthCoreSettings,
    private readonly clock: Clock,
    private readonly algorithms: readonly string[],
    private readonly resolveKey: KeyResolver,
  ) {}

  /**
   * Builds the verifier when verify-only mode is configured, or returns `null`.
   * @throws OptionsError when the JWKS file cannot be read or is not a JWKS.
   */
  static async create(
    config: AuthCoreSettings,
    clock: Clock,
    timings: JwksTimings = DEFAULT_TIMINGS,
  ): Promise<ExternalTokenVerifier | null> {
    let verifier: ExternalTokenVerifier | null = null;
    if (config.verifySecret !== undefined) {
      const key = createSecretKey(Buffer.from(config.verifySecret, 'utf8'));
      verifier = new ExternalTokenVerifier(config, clock, SECRET_ALGORITHMS, async () => key);
    } else if (config.verifyJwksUrl !== undefined) {
      const jwks = remoteKeySet(new URL(config.verifyJwksUrl), timings, clock);
      verifier = new ExternalTokenVerifier(config, clock, JWKS_ALGORITHMS, keyObjects(jwks));
    } else if (config.verifyJwksFile !== undefined) {
      const jwks = createLocalJWKSet(await readJwksFile(config.verifyJwksFile));
      verifier = new ExternalTokenVerifier(config, clock, JWKS_ALGORITHMS, keyObjects(jwks));
    }
    if (verifier) warnOfLooseChecks(config);
    return verifier;
  }

  /**
   * Verifies a token of the other backend and maps it to an identity.
   * @throws AuthError `token_invalid`, `token_expired`, or `unavailable` when the JWKS cannot be fetched (or failed
   *   less than a cooldown ago).
   */
  async verify(token: string): Promise<ExternalIdentity> {
    const header = readJwsHeader(token, this.config.maxTokenBytes);
    if (!this.algorithms.includes(header.alg))
      throw new AuthError('token_invalid', 'token algorithm is not accepted');
    const { typ } = header;
    if (typ !== undefined && !ACCEPTED_TYPES.some((accepted) => typMatches(typ, accepted)))
      throw new AuthError('token_invalid', 'token type is not accepted');
    const key = await this.resolveKey(header);
    const now = epochSeconds(this.clock);
    let claims: unknown;
    try {
      claims = this.jwt.verify(token, {
        [JWT_KEY]: key,
        algorithms: [header.alg as 'HS256'],
        clockTolerance: this.config.clockTolerance,
        clockTimestamp: now,
        ...(this.config.verifyIssuer === undefined ? {} : { issuer: this.config.verifyIssuer }),
        ...(this.config.verifyAudience === undefined ? {} : { audience: this.config.verifyAudience }),
      } as JwtVerifyOptions);
    } catch (error) {
      throw toAuthError(error);
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new AuthError('token_invalid', 'token claims are not a JSON object');
    }
    checkNumericDates(claims as Record<string, unknown>, now, this.config.clockTolerance);
    return this.identity(claims as Record<string, unknown>);
  }

  private identity(claims: Record<string, unknown>): ExternalIdentity {
    const exp = claims['exp'];
    if (exp === undefined && this.config.requireExp)
      throw new AuthError('token_invalid', 'token has no expiry');
    const subject = readClaim(claims, this.config.subjectClaim);
    const sub =
      typeof subject === 'string'
        ? subject
        : typeof subject === 'number' && Number.isFinite(subject)
          ? `${subject}`
          : '';
    if (sub.length === 0) throw new AuthError('token_invalid', 'token has no subject');
    const scp = claims['scp'];
    const scope =
      typeof claims['scope'] === 'string'
        ? claims['scope']
        : Array.isArray(scp)
          ? scp.filter((item) => typeof item === 'string').join(' ')
          : '';
    const roles = Array.isArray(claims['roles'])
      ? claims['roles'].filter((role) => typeof role === 'string')
      : [];
    return {
      sub,
      scope,
      roles,
      ...(typeof exp === 'number' ? { exp } : {}),
      ...(typeof claims['sid'] === 'string' ? { sid: claims['sid'] } : {}),
      ...(typeof claims['jti'] === 'string' ? { jti: claims['jti'] } : {}),
      claims,
    };
  }
}

/** Says at start-up, once, which checks of the other backend's tokens are off. */
function warnOfLooseChecks(config: AuthCoreSettings): void {
  if (!config.requireExp) {
    logger.warn('IOAUTH_REQUIRE_EXP=false: tokens without exp are accepted and never expire on their own');
  }
  const unchecked = [
    ...(config.verifyIssuer === undefined ? [{ variable: 'IOAUTH_VERIFY_ISSUER', claim: 'iss' }] : []),
    ...(config.verifyAudience === undefined ? [{ variable: 'IOAUTH_VERIFY_AUDIENCE', claim: 'aud' }] : []),
  ];
  if (unchecked.length > 0) {
    // RFC 8725 sections 3.8 and 3.9: without them, whatever else the other backend signs with the same key (ID
    // tokens, tokens for another of its services) authenticates sockets here too.
    logger.warn(
      `${unchecked.map((item) => item.variable).join(' and ')} unset: tokens are accepted whatever their ` +
        `${unchecked.map((item) => item.claim).join(' and ')}, such as tokens the other backend minted for another service`,
    );
  }
}

/** Wraps a jose key set so that it yields `KeyObject`s, converted once per key. */
function keyObjects(
  jwks: (header: JWSHeaderParameters) => Promise<webcrypto.CryptoKey | Uint8Array>,
): KeyResolver {
  const converted = new WeakMap<object, KeyObject>();
  return async (header) => {
    let key: webcrypto.CryptoKey | Uint8Array;
    try {
      key = await jwks(header as JWSHeaderParameters);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
        throw new AuthError('token_invalid', 'token signing key is unknown', { cause: error });
      }
      throw new AuthError('unavailable', 'the key set of the token issuer cannot be fetched', {
        cause: error,
      });
    }
    if (key instanceof Uint8Array) throw new AuthError('token_invalid', 'token signing key is not accepted');
    let keyObject = converted.get(key);
    if (!keyObject) {
      keyObject = KeyObject.from(key);
      converted.set(key, keyObject);
    }
    return keyObject;
  };
}

async function readJwksFile(file: string): Promise<JSONWebKeySet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new OptionsError('AuthCoreModule', [{ option: 'verifyJwksFile', message: 'cannot be read' }]);
  }
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(text) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new Error('no keys');
    // Import every key now, so that a broken entry stops the start-up instead of failing tokens later.
    for (const jwk of jwks.keys) createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw new OptionsError('AuthCoreModule', [
      { option: 'verifyJwksFile', message: 'is not a JWKS (RFC 7517)' },
    ]);
  }
  if (jwks.keys.some((jwk) => 'd' in jwk || 'k' in jwk)) {
    throw new OptionsError('AuthCoreModule', [
      { option: 'verifyJwksFile', message: 'must hold public keys only' },
    ]);
  }
  return jwks;
}
