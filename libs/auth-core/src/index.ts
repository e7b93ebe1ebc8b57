export { AuthCoreModule } from './auth-core.module.js';
export {
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  IOAUTH_EXTERNAL_VERIFIER,
  IOAUTH_KEY_SET_STORAGE,
  IOAUTH_RATE_LIMIT_STORE,
  IOAUTH_REDIS,
  IOAUTH_REVOCATION_BUS,
  IOAUTH_REVOCATION_LOG,
} from './auth-core.constants.js';
export { AuthError, isAuthError, RateLimitedError } from './auth.error.js';
export { epochSeconds, systemClock, type Clock } from './clock.js';
export {
  CONFIG_ENV,
  JWT_ALGORITHMS,
  SECRET_FIELDS,
  type IoauthConfig,
  type IoauthConfigInput,
  type JwtAlgorithm,
} from './config/ioauth-config.js';
export type { ConfigIssue } from './config/ioauth-config.schema.js';
export { ConfigError, configInputFromEnv, parseIoauthConfig } from './config/load-config.js';
export {
  IoauthJwtService,
  type IoauthSignOptions,
  type IoauthVerifyOptions,
} from './jwt/ioauth-jwt.service.js';
export { FileKeySetStorage } from './keys/file-key-set.storage.js';
export { MemoryKeySetStorage, type KeySetStorage, type StoredKey } from './keys/key-set.storage.js';
export { InProcessKeySetBus, type KeySetBus, type KeySetChange } from './keys/key-set.bus.js';
export { KeyStore, UNKNOWN_KID_RELOAD_INTERVAL, type KeyStoreOptions } from './keys/key-store.js';
export { RedisKeySetBus } from './keys/redis-key-set.bus.js';
export { KeyMaterialError, type SigningKey } from './keys/signing-key.js';
export { TokenService, type AccessGrant, type IssuedAccessToken } from './tokens/token.service.js';
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
export { InProcessRevocationBus, type Revocation, type RevocationBus } from './revocation/revocation.js';
export { RevocationList } from './revocation/revocation-list.js';
export type { RevocationLog, RevocationPage } from './revocation/revocation-log.js';
export { RevocationService } from './revocation/revocation.service.js';
export {
  MemoryRateLimitStore,
  type RateLimitStore,
  type WindowCount,
} from './rate-limit/rate-limit.store.js';
export { RedisRateLimitStore } from './rate-limit/redis-rate-limit.store.js';
export {
  closeRedis,
  connectRedis,
  RedisReplyTimeoutError,
  replyWithin,
  type RedisClient,
} from './redis/redis-connection.js';
export { RedisRevocationBus } from './revocation/redis-revocation.bus.js';
