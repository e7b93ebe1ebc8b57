/** Injection token of the validated `IoauthConfig`. */
export const IOAUTH_CONFIG = 'IOAUTH:CONFIG';

/** Injection token of the `Clock`; override it in tests to freeze time. */
export const IOAUTH_CLOCK = 'IOAUTH:CLOCK';

/** Injection token of the verify-only `ExternalTokenVerifier`, or `null` when verify-only mode is off. */
export const IOAUTH_EXTERNAL_VERIFIER = 'IOAUTH:EXTERNAL_VERIFIER';

/** Injection token of the `RevocationBus`; in-process unless an app provides another (Redis, for a cluster). */
export const IOAUTH_REVOCATION_BUS = 'IOAUTH:REVOCATION_BUS';

/**
 * Injection token of the `RevocationLog`, the durable record of revocations, when a module provides one
 * (`StoreModule` does: the database). Without one, revocations live in memory and on the bus only.
 */
export const IOAUTH_REVOCATION_LOG = 'IOAUTH:REVOCATION_LOG';

/** Injection token of the `RateLimitStore`; in memory unless an app provides another (Redis, for a cluster). */
export const IOAUTH_RATE_LIMIT_STORE = 'IOAUTH:RATE_LIMIT_STORE';

/** Injection token of the connected Redis client, or `null` when `REDIS_URL` is unset. */
export const IOAUTH_REDIS = 'IOAUTH:REDIS';

/**
 * Injection token of the `KeySetStorage` of managed keys, when a module provides one (`StoreModule` does: the keys
 * then live in the database every process and the CLI share); `keys.json` under `IOAUTH_DATA_DIR` otherwise.
 */
export const IOAUTH_KEY_SET_STORAGE = 'IOAUTH:KEY_SET_STORAGE';
