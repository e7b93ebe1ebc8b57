import { JwtService, type JwtSignOptions, type JwtVerifyOptions } from '@nestjs/jwt';

import { AuthError } from '../auth.error.js';
import { epochSeconds, type Clock } from '../clock.js';
import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import type { KeyStore } from '../keys/key-store.js';
import { readJwsHeader, typMatches } from './jws-header.js';
import { toAuthError } from './jwt-errors.js';
import { JWT_KEY, keyFromOptions } from './jwt-key.js';
import { checkNumericDates } from './numeric-date.js';
import { claimsOfVerified, VerifiedSignatures } from './verified-signatures.js';

/** Options of `IoauthJwtService.verify`: the keys and rules are ioauth's; these only narrow them. */
export interface IoauthVerifyOptions extends Pick<JwtVerifyOptions, 'subject' | 'jwtid' | 'maxAge'> {
  /** Required `typ` header, such as `at+jwt` (RFC 8725 section 3.11, explicit typing). */
  typ?: string;
}

/** Options of `IoauthJwtService.sign`; algorithm, key, key id and header always come from the key store. */
export type IoauthSignOptions = JwtSignOptions & {
  /** `typ` header; `JWT` unless given. */
  typ?: string;
};

// Each entry holds a token's text: about 0.5 MB for ioauth's own tokens of 500 bytes, and at most 1,000 times the
// largest token accepted (`maxTokenBytes`, 8 KB by default). Only tokens that verified get in.
const VERIFIED_SIGNATURES = 1000;

const REFUSED_SIGN_OPTIONS = ['secret', 'privateKey', 'algorithm', 'keyid', 'header'] as const;

const REFUSED_VERIFY_OPTIONS = [
  'secret',
  'publicKey',
  'algorithms',
  'issuer',
  'audience',
  'ignoreExpiration',
  'ignoreNotBefore',
  'clockTimestamp',
  'clockTolerance',
  'complete',
] as const;

/**
 * `JwtService` bound to ioauth's keys and rules: injecting `JwtService` from `AuthCoreModule` yields this. It signs
 * with the current key (its `kid` in the header, `iss`, `aud`, `iat` and `exp` filled in), and verifies with the
 * key named by `kid` pinned to that key's one algorithm, never the token's choice (RFC 8725 section 3.1), with
 * `iss`, `aud` and `exp` required, `nbf` honoured within the clock tolerance, and the size checked before parsing.
 * Failures are `AuthError`s: `token_invalid` or `token_expired`. The signature of a token seen lately is not checked
 * again (`VerifiedSignatures`); everything else is.
 *
 * Built by `AuthCoreModule` with a factory: as a subclass it would otherwise inherit `JwtService`'s constructor
 * injection metadata.
 */
export class IoauthJwtService extends JwtService {
  private readonly verified = new VerifiedSignatures(VERIFIED_SIGNATURES);

  constructor(
    private readonly keys: KeyStore,
    private readonly config: AuthCoreSettings,
    private readonly clock: Clock,
  ) {
    super({ secretOrKeyProvider: keyFromOptions });
  }

  /** Signs a claims object with the current signing key. */
  override sign(payload: string | Buffer | object, options: IoauthSignOptions = {}): string {
    if (
      typeof payload !== 'object' ||
      payload === null ||
      Buffer.isBuffer(payload) ||
      Array.isArray(payload)
    ) {
      throw new TypeError('ioauth signs JSON object claims only');
    }
    const refused = REFUSED_SIGN_OPTIONS.find((name) => name in options);
    if (refused) throw new TypeError(`ioauth signs with its own keys: option ${refused} is not accepted`);
    const key = this.keys.signingKey();
    const { typ = 'JWT', ...rest } = options;
    const claims = payload as Record<string, unknown>;
    return super.sign(claims.iat === undefined ? { iat: epochSeconds(this.clock), ...claims } : claims, {
      ...(claims.iss === undefined && rest.issuer === undefined ? { issuer: this.config.issuer } : {}),
      ...(claims.aud === undefined && rest.audience === undefined ? { audience: this.config.audience } : {}),
      ...(claims.exp === undefined && rest.expiresIn === undefined
        ? { expiresIn: this.config.accessTokenTtl }
        : {}),
      ...rest,
      algorithm: key.alg,
      keyid: key.kid,
      header: { alg: key.alg, typ },
      [JWT_KEY]: key.privateKey,
    } as JwtSignOptions);
  }

  override async signAsync(payload: string | Buffer | object, options?: IoauthSignOptions): Promise<string> {
    return this.sign(payload, options);
  }

  /**
   * Verifies a token and returns its claims.
   * @throws AuthError `token_invalid` (malformed, oversized or not canonical base64url, unknown or retired key, wrong
   *   algorithm, type, issuer, audience or signature, no `exp`, a time claim that is not seconds, issued in the
   *   future, not valid yet) or `token_expired`.
   */
  override verify<T extends object = Record<string, unknown>>(
    token: string,
    options: IoauthVerifyOptions = {},
  ): T {
    const refused = REFUSED_VERIFY_OPTIONS.find((name) => name in options);
    if (refused)
      throw new TypeError(`ioauth verifies with its own keys and rules: option ${refused} is not accepted`);
    const header = readJwsHeader(token, this.config.maxTokenBytes);
    const { typ, subject, jwtid, maxAge } = options;
    if (typ !== undefined && !typMatches(header.typ, typ))
      throw new AuthError('token_invalid', 'token type is not accepted');
    const key = header.kid === undefined ? undefined : this.keys.verificationKey(header.kid);
    if (!key) throw new AuthError('token_invalid', 'token signing key is unknown');
    if (header.alg !== key.alg) throw new AuthError('token_invalid', 'token algorithm is not accepted');
    const now = epochSeconds(this.clock);
    // `subject`, `jwtid` and `maxAge` are judged by jsonwebtoken: such a call takes the whole path.
    const plain = subject === undefined && jwtid === undefined && maxAge === undefined;
    if (plain && this.verified.verifiedBy(token, key.publicKey)) {
      const claims = claimsOfVerified(token, now, this.config.clockTolerance);
      checkNumericDates(claims, now, this.config.clockTolerance);
      return claims as T;
    }
    let claims: unknown;
    try {
      claims = super.verify(token, {
        algorithms: [key.alg],
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockTolerance,
        clockTimestamp: now,
        ...(subject === undefined ? {} : { subject }),
        ...(jwtid === undefined ? {} : { jwtid }),
        ...(maxAge === undefined ? {} : { maxAge }),
        [JWT_KEY]: key.publicKey,
      } as JwtVerifyOptions);
    } catch (error) {
      throw toAuthError(error);
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new AuthError('token_invalid', 'token claims are not a JSON object');
    }
    // Contract: every token expires; one without `exp` would authenticate forever.
    if ((claims as { exp?: unknown }).exp === undefined)
      throw new AuthError('token_invalid', 'token has no expiry');
    checkNumericDates(claims as Record<string, unknown>, now, this.config.clockTolerance);
    if (plain) this.verified.remember(token, key.publicKey);
    return claims as T;
  }

  override async verifyAsync<T extends object = Record<string, unknown>>(
    token: string,
    options?: IoauthVerifyOptions,
  ): Promise<T> {
    return this.verify<T>(token, options);
  }
}
