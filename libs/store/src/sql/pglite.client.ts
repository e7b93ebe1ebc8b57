import { PGlite, type Transaction } from '@electric-sql/pglite';

import { lockEmbeddedDatabase } from './embedded-lock.js';
import { PgliteStatements } from './pglite-statements.js';
import type { SqlClient } from './sql-client.js';

type Queryable = Pick<PGlite, 'query'> | Transaction;

class PgliteQueries {
  constructor(protected readonly target: Queryable) {}

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.target.query<Row>(text, params as unknown[])).rows;
  }
}

class PgliteTransaction extends PgliteQueries implements SqlClient {
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return work(this);
  }

  async close(): Promise<void> {
    throw new Error('close the database, not a transaction');
  }
}

/**
 * The embedded database: PostgreSQL compiled to WebAssembly, in-process, with its files under a folder (or in
 * memory). One process at a time may open a folder.
 */
export class PgliteSqlClient extends PgliteQueries implements SqlClient {
  private readonly statements: PgliteStatements;

  private constructor(
    private readonly db: PGlite,
    private readonly unlock: () => Promise<void>,
  ) {
    super(db);
    this.statements = new PgliteStatements(db);
  }

  /** Runs one statement as a prepared statement (see `PgliteStatements`), outside any transaction. */
  override async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    if (!this.statements.accepts(text)) return super.query<Row>(text, params);
    // The locks of PGlite.query, in its order: never inside another caller's open transaction, never during
    // another statement.
    return this.db._runExclusiveTransaction(() =>
      this.db._runExclusiveQuery(() => this.statements.run<Row>(text, params)),
    );
  }

  /**
   * Opens (creating on first use) the database in `dataDir`, or an in-memory one for `'memory://'`.
   * @throws EmbeddedDatabaseBusyError when another process has the folder open.
   */
  static async open(dataDir: string): Promise<PgliteSqlClient> {
    const unlock = dataDir.startsWith('memory://')
      ? async () => undefined
      : await lockEmbeddedDatabase(dataDir);
    try {
      return new PgliteSqlClient(await PGlite.create(dataDir), unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new PgliteTransaction(tx)));
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.unlock();
  }
}
