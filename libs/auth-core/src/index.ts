export { AuthCoreModule } from './auth-core.module.js';
export {
  IOAUTH_CLOCK,
  IOAUTH_EXTERNAL_VERIFIER,
  IOAUTH_RATE_LIMIT_STORE,
  IOAUTH_REVOCATION_BUS,
} from './auth-core.constants.js';
export { JWT_ALGORITHMS, type AuthCoreOptions, type JwtAlgorithm } from './auth-core.options.js';
export { parseAuthCoreOptions, type AuthCoreSettings } from './auth-core.options.schema.js';
export { AuthError, isAuthError, RateLimitedError } from './auth.error.js';
export { epochSeconds, systemClock, type Clock } from './clock.js';
export type { AuthEvent, AuthEventOf, AuthEventType } from './events/auth-event.js';
export { AuthEvents } from './events/auth-events.js';
export { optionFields } from './options/option-fields.js';
export { OptionsError, parseOptions, type OptionIssue } from './options/options.error.js';
export {
  IoauthJwtService,
  type IoauthSignOptions,
  type IoauthVerifyOptions,
} from './jwt/ioauth-jwt.service.js';
export { FileKeySetStorage } from './keys/file-key-set.storage.js';
export { MemoryKeySetStorage, type KeySetStorage, type StoredKey } from './keys/key-set.storage.js';
export { InProcessKeySetBus, type KeySetBus, type KeySetChange } from './keys/key-set.bus.js';
export { KeyStore } from './keys/key-store.js';
export { KeyMaterialError } from './keys/signing-key.js';
export {
  REGISTERED_CLAIMS,
  TokenService,
  type AccessGrant,
  type IssuedAccessToken,
} from './tokens/token.service.js';
export { bearerToken } from './tokens/bearer-token.js';
export {
  ExternalTokenVerifier,
  type ExternalIdentity,
  type JwksTimings,
} from './verify-only/external-token.verifier.js';
export {
  hasGrants,
  REQUIRED_ROLES,
  REQUIRED_SCOPES,
  RequireRoles,
  RequireScopes,
} from './authorization/require-grants.decorator.js';
export {
  InProcessRevocationBus,
  type GrantsChange,
  type Revocation,
  type RevocationBus,
  type RevocationReason,
} from './revocation/revocation.js';
export { RevocationList, type Grants } from './revocation/revocation-list.js';
export type { RevocationLog, RevocationPage } from './revocation/revocation-log.js';
export { RevocationService } from './revocation/revocation.service.js';
export {
  MemoryRateLimitStore,
  type RateLimitStore,
  type WindowCount,
} from './rate-limit/rate-limit.store.js';
