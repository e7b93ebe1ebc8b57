/** Injection token of the `Clock`; override it in tests to freeze time. */
export const IOAUTH_CLOCK = 'IOAUTH:CLOCK';

/** Injection token of the verify-only `ExternalTokenVerifier`, or `null` when verify-only mode is off. */
export const IOAUTH_EXTERNAL_VERIFIER = 'IOAUTH:EXTERNAL_VERIFIER';

/** Injection token of the `RevocationBus` in use: the `revocationBus` option, else an in-process one. */
export const IOAUTH_REVOCATION_BUS = 'IOAUTH:REVOCATION_BUS';

/** Injection token of the `RateLimitStore` in use: the `rateLimitStore` option, else one in memory. */
export const IOAUTH_RATE_LIMIT_STORE = 'IOAUTH:RATE_LIMIT_STORE';
