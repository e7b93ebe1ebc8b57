import { join } from 'node:path';

import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';

import { FileKeySetStorage } from '@ioauth/auth-core';

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
import { IOAUTH_SESSIONS, IOAUTH_SQL, IOAUTH_STORE_SETTINGS, IOAUTH_USERS } from './store.constants.js';
import { STORE_OPTIONS, STORE_OPTIONS_TYPE, StoreConfigurableModule } from './store.module-definition.js';
import type { StoreOptions } from './store.options.js';
import { parseStoreOptions, type StoreSettings } from './store.options.schema.js';
import { SqlUserRepository } from './users/sql-user.repository.js';

/** Opens the configured database (PostgreSQL with `DATABASE_URL`, else PGlite under the data folder) and migrates it. */
export async function openDatabase(
  config: Pick<StoreOptions, 'databaseUrl' | 'dataDir' | 'dataDirTemplate'>,
): Promise<SqlClient> {
  const dataDir = config.dataDir ?? './.ioauth';
  const client = config.databaseUrl
    ? await PostgresSqlClient.connect(config.databaseUrl)
    : await PgliteSqlClient.open(join(dataDir, 'db'), { template: config.dataDirTemplate });
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
 * migrated at start-up, with a background purge of what has expired. Hand its `SqlKeySetStorage` and
 * `SqlRevocationLog` to `AuthCoreModule` (`keySetStorage`, `revocationLog`) so that every process and the CLI share
 * one key set and revocations hold across restarts. Global by default.
 */
@Module({
  providers: [
    {
      provide: IOAUTH_STORE_SETTINGS,
      useFactory: (options: StoreOptions) => parseStoreOptions(options),
      inject: [STORE_OPTIONS],
    },
    {
      provide: IOAUTH_SQL,
      useFactory: (settings: StoreSettings) => openDatabase(settings),
      inject: [IOAUTH_STORE_SETTINGS],
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
      provide: SqlKeySetStorage,
      // Embedded or PostgreSQL alike, so that the CLI's `keys rotate` and the server read one key set. A keys.json
      // left by an earlier version is imported once, into a database that holds no key set yet.
      useFactory: (sql: SqlClient, settings: StoreSettings) =>
        new SqlKeySetStorage(sql, new FileKeySetStorage(settings.dataDir)),
      inject: [IOAUTH_SQL, IOAUTH_STORE_SETTINGS],
    },
    {
      provide: SqlRevocationLog,
      useFactory: (sql: SqlClient) => new SqlRevocationLog(sql),
      inject: [IOAUTH_SQL],
    },
    PasswordHasher,
    PasswordPolicy,
    ExpiredDataPurger,
  ],
  exports: [
    IOAUTH_SQL,
    IOAUTH_USERS,
    IOAUTH_SESSIONS,
    SqlKeySetStorage,
    SqlRevocationLog,
    PasswordHasher,
    PasswordPolicy,
  ],
})
export class StoreModule extends StoreConfigurableModule implements OnApplicationShutdown {
  constructor(@Inject(IOAUTH_SQL) private readonly sql: SqlClient) {
    super();
  }

  /**
   * Mounts the module; the options are validated before the database is opened.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof STORE_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseStoreOptions(input);
    return super.forRoot(options);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
