import pg from 'pg';

import type { SqlClient } from './sql-client.js';

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

class PostgresQueries {
  constructor(protected readonly target: Queryable) {}

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.target.query<Row & pg.QueryResultRow>(text, params as unknown[])).rows;
  }
}

class PostgresTransaction extends PostgresQueries implements SqlClient {
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    throw new Error('close the pool, not a transaction');
  }
}

/** Options of `PostgresSqlClient.connect`. */
export interface PostgresOptions {
  /** Schema to work in (created if missing); `public` by default. Tests use one schema each. */
  schema?: string;
  /** Most connections the pool opens. */
  maxConnections?: number;
}

/** A PostgreSQL server through a `pg` connection pool, for deployments of several processes. */
export class PostgresSqlClient extends PostgresQueries implements SqlClient {
  private constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  /**
   * Connects and checks the connection once, so that a wrong URL fails at start-up, not at the first login.
   * @throws Error from `pg` when the server cannot be reached; its message names no password.
   */
  static async connect(url: string, options: PostgresOptions = {}): Promise<PostgresSqlClient> {
    const schema = options.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error('schema must be a plain lower-case identifier');
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      options: `-c search_path=${schema}`,
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener that would crash the
    // process. The next query reconnects.
    pool.on('error', () => undefined);
    try {
      await pool.query(`create schema if not exists ${schema}`).catch((error: { code?: string }) => {
        // `if not exists` is not safe against a concurrent create: another process starting at the same moment
        // may win, which is what we wanted anyway (unique_violation or duplicate_schema).
        if (error.code !== '23505' && error.code !== '42P06') throw error;
      });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresSqlClient(pool);
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await work(new PostgresTransaction(client));
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
