import { randomBytes } from 'node:crypto';

import pg from 'pg';

/** The PostgreSQL server tests use: `IOAUTH_TEST_DATABASE_URL`, or the local one of the development machines. */
export const TEST_POSTGRES_URL =
  process.env['IOAUTH_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether PostgreSQL answers. Under `CI=true` an unreachable server is an error, so that CI can never pass by
 * skipping; elsewhere the caller skips its PostgreSQL cases, and the reason is printed.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  let problem: string | undefined;
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
  if (problem === undefined) return true;
  const where = new URL(TEST_POSTGRES_URL).host;
  if (process.env['CI'] === 'true') {
    throw new Error(`PostgreSQL is required under CI=true and did not answer at ${where}: ${problem}`);
  }
  console.warn(`skipping the PostgreSQL cases: no server at ${where} (${problem})`);
  return false;
}

/** A fresh, empty database on the test server, and how to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ioauth_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
