import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { serviceAvailable } from './service-availability.js';

/** The PostgreSQL server tests use: `IOAUTH_TEST_DATABASE_URL`, or the local one of the development machines. */
export const TEST_POSTGRES_URL =
  process.env['IOAUTH_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers (required under `CI=true`; otherwise its cases are skipped, saying why). */
export function postgresAvailable(): Promise<boolean> {
  return serviceAvailable('PostgreSQL', new URL(TEST_POSTGRES_URL).host, async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('select 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  });
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
