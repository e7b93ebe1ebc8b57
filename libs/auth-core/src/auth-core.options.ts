import type { KeySetBus } from './keys/key-set.bus.js';
import type { KeySetStorage } from './keys/key-set.storage.js';
import type { RateLimitStore } from './rate-limit/rate-limit.store.js';
import type { RevocationBus } from './revocation/revocation.js';
import type { RevocationLog } from './revocation/revocation-log.js';

/** Signing algorithms ioauth mints with: one key, one algorithm. */
export const JWT_ALGORITHMS = ['ES256', 'RS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/**
 * Options of `AuthCoreModule.forRoot`: how tokens are signed and verified, and the backends that carry revocations,
 * rate limits and key sets. Every field is optional; the defaults are the contract's.
 */
export interface AuthCoreOptions {
  /** `iss` minted and required; default `ioauth`. */
  issuer?: string;
  /** `aud` minted and required; default `ioauth`. */
  audience?: string;
  /** Access-token lifetime in seconds, 1 to 86400; default 900. */
  accessTokenTtl?: number;
  /** Leeway in seconds for `exp` and `nbf`, 0 to 300; default 5. */
  clockTolerance?: number;
  /** Largest token accepted, in bytes, checked before any parsing; 1024 to 65536, default 8192. */
  maxTokenBytes?: number;
  /** Signing algorithm; default `ES256` with a generated, rotatable key. */
  algorithm?: JwtAlgorithm;
  /** HS256 secret, at least 32 bytes; required with `HS256`. */
  secret?: string;
  /** ES256/RS256 private key as PEM or JWK JSON, instead of a generated one. */
  privateKey?: string;
  /** File holding that private key. */
  privateKeyFile?: string;
  /** Folder of `keys.json`, where generated keys live when no `keySetStorage` is given; default `./.ioauth`. */
  dataDir?: string;
  /** Verify-only: HS256 secret shared with another backend. */
  verifySecret?: string;
  /** Verify-only: JWKS URL of another backend, https or loopback http. */
  verifyJwksUrl?: string;
  /** Verify-only: JWKS file of another backend. */
  verifyJwksFile?: string;
  /** Verify-only: required `iss`. */
  verifyIssuer?: string;
  /** Verify-only: required `aud`. */
  verifyAudience?: string;
  /** Verify-only: dotted path of the subject claim, such as `user.username`; default `sub`. */
  subjectClaim?: string;
  /** Verify-only: refuse tokens without `exp`; default true. */
  requireExp?: boolean;
  /**
   * Where generated keys live, shared by every process and the CLI (`@ioauth/store`'s `SqlKeySetStorage`);
   * `keys.json` under `dataDir` when not given.
   */
  keySetStorage?: KeySetStorage;
  /** Announces key rotations to the other processes (`@ioauth/redis`); without it they see them within a minute. */
  keySetBus?: KeySetBus;
  /** Carries revocations to the other processes at once (`@ioauth/redis`); in-process when not given. */
  revocationBus?: RevocationBus;
  /**
   * The durable record of revocations (`@ioauth/store`'s `SqlRevocationLog`): revocations then hold across restarts
   * and reach a process that missed the bus. Without it they live in memory and on the bus only.
   */
  revocationLog?: RevocationLog;
  /** Where rate-limit counters live (`@ioauth/redis` to share them across processes); in memory when not given. */
  rateLimitStore?: RateLimitStore;
}
