/** Injection token of the validated `IoauthConfig`. */
export const IOAUTH_CONFIG = 'IOAUTH:CONFIG';

/** Injection token of the `Clock`; override it in tests to freeze time. */
export const IOAUTH_CLOCK = 'IOAUTH:CLOCK';

/** Injection token of the verify-only `ExternalTokenVerifier`, or `null` when verify-only mode is off. */
export const IOAUTH_EXTERNAL_VERIFIER = 'IOAUTH:EXTERNAL_VERIFIER';
