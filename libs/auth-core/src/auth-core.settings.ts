/** Injection token of the validated `AuthCoreSettings`, private to this library. */
export const AUTH_CORE_SETTINGS = 'IOAUTH:AUTH_CORE_SETTINGS';

/** Injection token of the optional `RevocationLog`, private to this library. */
export const REVOCATION_LOG = 'IOAUTH:REVOCATION_LOG';
