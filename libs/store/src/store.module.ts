import { join } from 'node:path';

import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';

import {
  FileKeySetStorage,
  IOAUTH_CONFIG,
  IOAUTH_KEY_SET_STORAGE,
  IOAUTH_REVOCATION_LOG,
  type IoauthConfig,
} from '@ioauth/auth-core';

import { SqlKeySetStorage } from './keys/sql-key-set.storage.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordPolicy } from './passwords/password-policy.js';
import { ExpiredDataPurger } from './purge/expired-data.purger.js';
import { SqlRevocationLog } from './revocations/sql-revocation-log.js';
import { SqlSessionRepository } from './sessions/sql-session.repository.js';
import { migrate } from './sql/migrations.js';
import { PgliteSqlClient } from './sql/pglite.client.js';
import { PostgresSqlClient } from './sql/postgres.client.js';
import type { SqlClient } from './sql/sql-client.js';
import { IOAUTH_SESSIONS, IOAUTH_SQL, IOAUTH_USERS } from './store.constants.js';
import { SqlUserRepository } from './users/sql-user.repository.js';

/** Opens the configured database (PostgreSQL with `DATABASE_URL`, else PGlite under the data folder) and migrates it. */
export async function openDatabase(
  config: Pick<IoauthConfig, 'databaseUrl' | 'dataDir'>,
): Promise<SqlClient> {
  const client = config.databaseUrl
    ? await PostgresSqlClient.connect(config.databaseUrl)
    : await PgliteSqlClient.open(join(config.dataDir, 'db'));
  try {
    await migrate(client instanceof PostgresSqlClient ? client.forMigrations() : client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

/**
 * Users, sessions, refresh tokens, durable revocations and the managed signing keys over the configured database,
 * migrated at start-up, with a background purge of what has expired.
 * Needs `AuthCoreModule` (for the configuration); global, like it, which is how `AuthCoreModule` finds the key
 * storage this module provides under `IOAUTH_KEY_SET_STORAGE` without depending on it.
 */
@Global()
@Module({
  providers: [
    {
      provide: IOAUTH_SQL,
      useFactory: (config: IoauthConfig) => openDatabase(config),
      inject: [IOAUTH_CONFIG],
    },
    {
      provide: IOAUTH_USERS,
      useFactory: (sql: SqlClient) => new SqlUserRepository(sql),
      inject: [IOAUTH_SQL],
    },
    {
      provide: IOAUTH_SESSIONS,
      useFactory: (sql: SqlClient) => new SqlSessionRepository(sql),
      inject: [IOAUTH_SQL],
    },
    {
      provide: IOAUTH_KEY_SET_STORAGE,
      // Embedded or PostgreSQL alike, so that the CLI's `keys rotate` and the server read one key set. A keys.json
      // left by an earlier version is imported once, into a database that holds no key set yet.
      useFactory: (sql: SqlClient, config: IoauthConfig) =>
        new SqlKeySetStorage(sql, new FileKeySetStorage(config.dataDir)),
      inject: [IOAUTH_SQL, IOAUTH_CONFIG],
    },
    {
      provide: SqlRevocationLog,
      useFactory: (sql: SqlClient) => new SqlRevocationLog(sql),
      inject: [IOAUTH_SQL],
    },
    // How AuthCoreModule's RevocationService and RevocationSync find the durable log without depending on the store.
    { provide: IOAUTH_REVOCATION_LOG, useExisting: SqlRevocationLog },
    PasswordHasher,
    PasswordPolicy,
    ExpiredDataPurger,
  ],
  exports: [
    IOAUTH_SQL,
    IOAUTH_USERS,
    IOAUTH_SESSIONS,
    IOAUTH_KEY_SET_STORAGE,
    IOAUTH_REVOCATION_LOG,
    PasswordHasher,
    PasswordPolicy,
  ],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(IOAUTH_SQL) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
