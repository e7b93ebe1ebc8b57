/**
 * The little of SQL the repositories need, so that one implementation serves both the embedded PGlite database and
 * a PostgreSQL server: same dialect, same schema, same migrations.
 */
export interface SqlClient {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it rejects. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Releases the connection(s) or closes the embedded database. */
  close(): Promise<void>;
}
