export type { ClaimsContext, ClaimsHook, ExtraClaims } from './claims/claims-hook.js';
export { CredentialsVerifier } from './credentials/credentials.verifier.js';
export { SessionService } from './session.service.js';
export { IOAUTH_USER_DIRECTORY } from './sessions.constants.js';
export { SessionsModule } from './sessions.module.js';
export type { SessionsOptions } from './sessions.options.js';
export { parseSessionsOptions, type SessionsSettings } from './sessions.options.schema.js';
export { StoreUserDirectory } from './users/store-user.directory.js';
export type { SessionUser, UserDirectory } from './users/user-directory.js';
