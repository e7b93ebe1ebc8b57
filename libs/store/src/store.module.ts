import { join } from 'node:path';

import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';

import { IOAUTH_CONFIG, type IoauthConfig } from '@ioauth/auth-core';

import { PasswordHasher } from './passwords/password-hasher.js';
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
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

/**
 * Users, sessions and refresh tokens over the configured database, migrated at start-up. Needs `AuthCoreModule`
 * (for the configuration); global, like it.
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
    PasswordHasher,
  ],
  exports: [IOAUTH_SQL, IOAUTH_USERS, IOAUTH_SESSIONS, PasswordHasher],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(IOAUTH_SQL) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
