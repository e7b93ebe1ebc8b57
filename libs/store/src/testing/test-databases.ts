import { randomBytes } from 'node:crypto';

import { postgresAvailable, TEST_POSTGRES_URL } from '@ioauth/test-support';

import { PgliteSqlClient } from '../sql/pglite.client.js';
import { PostgresSqlClient } from '../sql/postgres.client.js';
import type { SqlClient } from '../sql/sql-client.js';

/** A fresh, empty database; `connect` opens another client on it, as a second process would. */
export interface OpenTestDatabase {
  client: SqlClient;
  drop(): Promise<void>;
  connect(): Promise<{ client: SqlClient; close(): Promise<void> }>;
}

/** A database a spec runs against, and how to get a fresh, empty one. */
export interface TestDatabase {
  name: string;
  open(): Promise<OpenTestDatabase>;
}

/** The embedded database always; PostgreSQL when it answers (required under `CI=true`). */
export async function testDatabases(): Promise<TestDatabase[]> {
  const databases: TestDatabase[] = [
    {
      name: 'PGlite',
      open: async () => {
        const client = await PgliteSqlClient.open('memory://');
        // PGlite is single-process: a "second process" shares the one client.
        return {
          client,
          drop: () => client.close(),
          connect: async () => ({ client, close: async () => undefined }),
        };
      },
    },
  ];
  if (await postgresAvailable()) {
    databases.push({
      name: 'PostgreSQL',
      open: async () => {
        const schema = `ioauth_test_${randomBytes(6).toString('hex')}`;
        const client = await PostgresSqlClient.connect(TEST_POSTGRES_URL, { schema, maxConnections: 4 });
        return {
          client,
          drop: async () => {
            await client.query(`drop schema ${schema} cascade`);
            await client.close();
          },
          connect: async () => {
            const other = await PostgresSqlClient.connect(TEST_POSTGRES_URL, { schema, maxConnections: 4 });
            return { client: other, close: () => other.close() };
          },
        };
      },
    });
  }
  return databases;
}
