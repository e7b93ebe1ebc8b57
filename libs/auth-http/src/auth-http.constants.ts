/** Injection token of the validated `AuthHttpSettings`, which the guards of this library read. */
export const AUTH_HTTP_SETTINGS = 'IOAUTH:AUTH_HTTP_SETTINGS';
