/** Injection token of the `SqlClient` behind the repositories. */
export const IOAUTH_SQL = 'IOAUTH:SQL';
/** Injection token of the `UserRepository`. */
export const IOAUTH_USERS = 'IOAUTH:USERS';
/** Injection token of the `SessionRepository`. */
export const IOAUTH_SESSIONS = 'IOAUTH:SESSIONS';
/** Injection token of the validated `StoreSettings`. */
export const IOAUTH_STORE_SETTINGS = 'IOAUTH:STORE_SETTINGS';
