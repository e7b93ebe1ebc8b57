import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { PgliteSqlClient } from '../sql/pglite.client.js';
import { PostgresSqlClient } from '../sql/postgres.client.js';
import type { SqlClient } from '../sql/sql-client.js';

/** A database a spec runs against, and how to get a fresh, empty one. */
export interface TestDatabase {
  name: string;
  open(): Promise<{ client: SqlClient; drop(): Promise<void> }>;
}

const POSTGRES_URL = process.env['IOAUTH_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The embedded database always; PostgreSQL when it answers. Under `CI=true` an unreachable PostgreSQL is an error,
 * so that CI can never pass by skipping; elsewhere its suite is skipped with the reason printed.
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const databases: TestDatabase[] = [
    {
      name: 'PGlite',
      open: async () => {
        const client = await PgliteSqlClient.open('memory://');
        return { client, drop: () => client.close() };
      },
    },
  ];
  const problem = await postgresReachable();
  if (problem === undefined) {
    databases.push({
      name: 'PostgreSQL',
      open: async () => {
        const schema = `ioauth_test_${randomBytes(6).toString('hex')}`;
        const client = await PostgresSqlClient.connect(POSTGRES_URL, { schema, maxConnections: 4 });
        return {
          client,
          drop: async () => {
            await client.query(`drop schema ${schema} cascade`);
            await client.close();
          },
        };
      },
    });
  } else if (process.env['CI'] === 'true') {
    throw new Error(
      `PostgreSQL is required under CI=true and did not answer at ${new URL(POSTGRES_URL).host}: ${problem}`,
    );
  } else {
    console.warn(`skipping the PostgreSQL suites: no server at ${new URL(POSTGRES_URL).host} (${problem})`);
  }
  return databases;
}
