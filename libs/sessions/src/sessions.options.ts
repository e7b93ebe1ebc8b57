import type { ClaimsHook } from './claims/claims-hook.js';
import type { UserDirectory } from './users/user-directory.js';

/** Options of `SessionsModule.forRoot`. Every field is optional; the defaults are the contract's. */
export interface SessionsOptions {
  /** Refresh-token lifetime in seconds, 60 to 31536000; default 1209600 (14 days). */
  refreshTokenTtl?: number;
  /** Absolute session lifetime in seconds from login, never extended by refresh, 60 to 31536000; default 2592000. */
  sessionMaxAge?: number;
  /** Failed logins allowed per username in 15 minutes, 1 to 10000, before it is refused for the rest of them; default 10. */
  loginUserLimit?: number;
  /** Where logins and refreshes find users; ioauth's users table (`StoreUserDirectory`) when not given. */
  users?: UserDirectory;
  /** Adds the team's own claims to access tokens at login and at each refresh. */
  claims?: ClaimsHook;
}
