export { SqlSessionRepository } from './sessions/sql-session.repository.js';
export type { RefreshOutcome, RevocationReason, Session, SessionRepository } from './sessions/session.js';
export { migrate, MIGRATIONS } from './sql/migrations.js';
export { PgliteSqlClient } from './sql/pglite.client.js';
export { PostgresSqlClient, type PostgresOptions } from './sql/postgres.client.js';
export type { SqlClient } from './sql/sql-client.js';
export { SqlUserRepository } from './users/sql-user.repository.js';
export { DuplicateUserError, type NewUser, type User, type UserRepository } from './users/user.js';
