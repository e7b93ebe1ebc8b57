/**
 * Injection token of the `UserDirectory` that logins and refreshes ask: the `users` option of `SessionsModule`,
 * else `StoreUserDirectory` over ioauth's users table.
 */
export const IOAUTH_USER_DIRECTORY = 'IOAUTH:USER_DIRECTORY';

/** Injection token of the validated `SessionsSettings`, private to this library. */
export const SESSIONS_SETTINGS = 'IOAUTH:SESSIONS_SETTINGS';
