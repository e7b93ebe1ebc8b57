import type { SessionUser } from '../users/user-directory.js';

/** Which grant an access token is minted for, and for which session. */
export interface ClaimsContext {
  sid: string;
  grant: 'login' | 'refresh';
}

/** Claims of the team's own, added to an access token beside ioauth's. */
export type ExtraClaims = Record<string, unknown>;

/**
 * Adds the team's own claims (such as `tenant`) to every access token, at login and at each refresh, so a changed
 * value reaches the next token. It receives the user as the `UserDirectory` returned it. A registered claim
 * (`iss sub aud exp nbf iat jti sid typ scope roles`) is never minted: returning one fails the login or refresh
 * with a `TypeError`. At a refresh the presented refresh token is spent before the hook runs, so a hook that fails
 * there ends the client's session: it should not depend on a service that may be down.
 */
export type ClaimsHook<User extends SessionUser = SessionUser> = {
  // Method syntax makes `user` bivariant, so that a hook written for a directory's own user type
  // (`(user: TenantUser) => ...`) fits the `claims` option, typed for any `SessionUser`.
  hook(user: User, context: ClaimsContext): ExtraClaims | Promise<ExtraClaims>;
}['hook'];
