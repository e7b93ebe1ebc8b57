export { AccountService, type AccountCaller } from './account/account.service.js';
export type { ClaimsContext, ClaimsHook, ExtraClaims } from './claims/claims-hook.js';
export { CredentialsVerifier } from './credentials/credentials.verifier.js';
export { SessionService, type IssuedTokens, type LoginDevice } from './session.service.js';
export { IOAUTH_USER_DIRECTORY } from './sessions.constants.js';
export { SessionsModule } from './sessions.module.js';
export type { SessionsOptions } from './sessions.options.js';
export { parseSessionsOptions, type SessionsSettings } from './sessions.options.schema.js';
export { toAdminUser } from './users/admin-user.mapper.js';
export { MAX_GRANTS, parseGrantList } from './users/grant-list.js';
export { parseUsername } from './users/username-input.js';
export { StoreUserDirectory } from './users/store-user.directory.js';
export {
  UserAdminService,
  type ActingAs,
  type NewUserInput,
  type UserPatch,
} from './users/user-admin.service.js';
export type { SessionUser, UserDirectory } from './users/user-directory.js';
