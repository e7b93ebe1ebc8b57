export { SqlKeySetStorage } from './keys/sql-key-set.storage.js';
export { SqlSessionRepository } from './sessions/sql-session.repository.js';
export {
  MAX_USER_AGENT_LENGTH,
  type RefreshOutcome,
  type Session,
  type SessionRepository,
} from './sessions/session.js';
export { SqlRevocationLog } from './revocations/sql-revocation-log.js';
export { migrate, MIGRATIONS } from './sql/migrations.js';
export { PgliteSqlClient } from './sql/pglite.client.js';
export { PostgresSqlClient, type PostgresOptions } from './sql/postgres.client.js';
export type { SqlClient } from './sql/sql-client.js';
export { SqlUserRepository } from './users/sql-user.repository.js';
export {
  DuplicateUserError,
  type NewUser,
  type User,
  type UserChanges,
  type UserRepository,
} from './users/user.js';
export { PasswordHasher } from './passwords/password-hasher.js';
export {
  MAX_PASSWORD_BYTES,
  PasswordPolicy,
  WeakPasswordError,
  type PasswordWeakness,
} from './passwords/password-policy.js';
export { IOAUTH_SESSIONS, IOAUTH_SQL, IOAUTH_USERS } from './store.constants.js';
export { openDatabase, StoreModule } from './store.module.js';
export type { StoreOptions } from './store.options.js';
export { parseStoreOptions } from './store.options.schema.js';
export { MAX_USERNAME_BYTES, normalizeUsername } from './users/username.js';
export { EmbeddedDatabaseBusyError } from './sql/embedded-lock.js';
