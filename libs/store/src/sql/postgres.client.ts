import type pg from 'pg';

import type { SqlClient } from './sql-client.js';

/**
 * How long a statement may wait for its reply. PostgreSQL cannot enforce this against a server or network that has
 * stopped answering (hung, paused, partitioned: the connection stays open and nothing comes back), so `pg` enforces
 * it on our side and the request fails with 503 instead of holding its caller, a connection and shutdown for ever
 * (OWASP ASVS V11.1.4: no resource held for an unbounded time). Every statement ioauth runs on a request is a
 * lookup or a write of a few rows by key, milliseconds on a healthy server: 5 s is far beyond any of them and
 * still a wait a client survives.
 */
const QUERY_TIMEOUT_MS = 5_000;
/**
 * PostgreSQL cancels a statement itself a second earlier (`statement_timeout`), so that a server that is slow but
 * alive frees the connection cleanly and our own bound only fires when no answer can come.
 */
const SERVER_MARGIN_MS = 1_000;
/** Reaching the server, TLS and authentication included; a wait for a free pooled connection is bounded the same. */
const CONNECT_TIMEOUT_MS = 3_000;
/**
 * A transaction left open by a process that hangs between two statements holds its row locks; the server ends
 * such a session after this long. ioauth's transactions never wait on anything but the database.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;
/** TCP keepalive probes find a peer that vanished (a host gone, a NAT entry dropped) under idle connections. */
const KEEPALIVE_DELAY_MS = 10_000;
/** How long `close()` waits for connections still in use before it cuts them. */
const CLOSE_TIMEOUT_MS = 2_000;
/**
 * Schema changes may rewrite a large table, and a process starting beside another waits for that one's migration
 * (an advisory lock): their statements get this much longer bound.
 */
const MIGRATION_QUERY_TIMEOUT_MS = 10 * 60_000;

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** `pg`'s per-query config also takes `query_timeout` (pg's client.js), which `@types/pg` leaves out. */
interface BoundedQueryConfig extends pg.QueryConfig {
  query_timeout: number;
}

class PostgresQueries {
  constructor(
    protected readonly target: Queryable,
    protected readonly queryTimeoutMs: number,
  ) {}

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const config: BoundedQueryConfig = {
      text,
      values: params as unknown[],
      query_timeout: this.queryTimeoutMs,
    };
    return (await this.target.query<Row & pg.QueryResultRow>(config)).rows;
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
  /** How long a statement may wait for its reply, 5 s by default; PostgreSQL cancels it a second before. */
  queryTimeoutMs?: number;
}

/**
 * A PostgreSQL server through a `pg` connection pool, for deployments of several processes. Every statement, new
 * connection and `close()` is bounded in time, whatever the server or the network does.
 */
export class PostgresSqlClient extends PostgresQueries implements SqlClient {
  private constructor(
    private readonly pool: pg.Pool,
    queryTimeoutMs: number,
    private readonly connections: Set<pg.PoolClient>,
  ) {
    super(pool, queryTimeoutMs);
  }

  /**
   * Connects and checks the connection once, so that a wrong URL fails at start-up, not at the first login.
   * @throws Error from `pg` when the server cannot be reached in time; its message names no password.
   */
  static async connect(url: string, options: PostgresOptions = {}): Promise<PostgresSqlClient> {
    const schema = options.schema ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error('schema must be a plain lower-case identifier');
    const queryTimeoutMs = options.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
    // Loaded on first use, so that a process on the embedded database never imports it.
    const { default: postgres } = await import('pg');
    const pool = new postgres.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: queryTimeoutMs,
      statement_timeout: Math.max(queryTimeoutMs - SERVER_MARGIN_MS, Math.ceil(queryTimeoutMs / 2)),
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      options: `-c search_path=${schema}`,
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener that would crash the
    // process. The next query reconnects.
    pool.on('error', () => undefined);
    const connections = new Set<pg.PoolClient>();
    pool.on('connect', (client) => connections.add(client));
    pool.on('remove', (client) => connections.delete(client as pg.PoolClient));
    const client = new PostgresSqlClient(pool, queryTimeoutMs, connections);
    try {
      await client.query(`create schema if not exists ${schema}`).catch((error: { code?: string }) => {
        // `if not exists` is not safe against a concurrent create: another process starting at the same moment
        // may win, which is what we wanted anyway (unique_violation or duplicate_schema).
        if (error.code !== '23505' && error.code !== '42P06') throw error;
      });
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  /**
   * The same pool for `migrate`, with a bound of minutes per statement instead of seconds (see
   * MIGRATION_QUERY_TIMEOUT_MS); not for requests. Closing it closes nothing: close the client.
   */
  forMigrations(): SqlClient {
    const view = new PostgresSqlClient(this.pool, MIGRATION_QUERY_TIMEOUT_MS, this.connections);
    return {
      query: (text, params) => view.query(text, params),
      transaction: (work) =>
        view.transaction(async (tx) => {
          // The session's statement_timeout is the request bound; this transaction's statements get the long one.
          await tx.query(`set local statement_timeout = ${MIGRATION_QUERY_TIMEOUT_MS - SERVER_MARGIN_MS}`);
          return work(tx);
        }),
      close: async () => undefined,
    };
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query({ text: 'begin', query_timeout: this.queryTimeoutMs } as BoundedQueryConfig);
      const result = await work(new PostgresTransaction(client, this.queryTimeoutMs));
      await client.query({ text: 'commit', query_timeout: this.queryTimeoutMs } as BoundedQueryConfig);
      client.release();
      return result;
    } catch (error) {
      // The connection is dropped rather than rolled back: after a timed-out statement a rollback would only queue
      // behind it for another full bound, and the connection would go back to the pool stuck. PostgreSQL rolls back
      // the transaction of a session that ends.
      client.release(true);
      throw error;
    }
  }

  /**
   * Ends the pool. `pg`'s `end()` waits for every connection in use to be released: one whose statement waits on a
   * server that no longer answers would hold shutdown until its bound, so after 2 s the connections are cut.
   */
  async close(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = this.pool.end().then(() => true);
    const late = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS)),
    );
    const inTime = await Promise.race([ended, late]).finally(() => clearTimeout(timer));
    if (inTime) return;
    // pg ends a connection with a statement under way by destroying its socket (pg's client.js `end`), so this
    // returns at once; their statements fail, and their callers with them.
    for (const connection of this.connections) void connection.end().catch(() => undefined);
  }
}
