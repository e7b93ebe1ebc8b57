import { writeFile } from 'node:fs/promises';

import { Logger } from '@nestjs/common';
import { PGlite, type Transaction } from '@electric-sql/pglite';

import { lockEmbeddedDatabase } from './embedded-lock.js';
import { migrate } from './migrations.js';
import { PgliteStatements } from './pglite-statements.js';
import { clearLeftovers, holdsDatabase, loadPgliteTemplate, templateArchive } from './pglite-template.js';
import type { SqlClient } from './sql-client.js';

/**
 * PostgreSQL zeroes its shared buffers at start, and WebAssembly PostgreSQL does it in a single thread: the default
 * 128 MB took ~0.6 s of every start (issue 13). One process of an auth store keeps its hot pages (users, live
 * sessions and refresh tokens, their indexes) in far less; 16 MB (2048 pages) holds them for tens of thousands of
 * sessions, and the operating system caches the rest of the files.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const logger = new Logger('StoreModule');

/** Options of `PgliteSqlClient.open`. */
export interface PgliteOpenOptions {
  /** A template (`PgliteSqlClient.writeTemplate`) to fill an empty folder from instead of running initdb. */
  template?: string;
}

/**
 * Opens the database in a folder, filling an empty one from the template when there is one; a template that cannot
 * be used is reported and initdb runs as without it.
 */
async function openFolder(dataDir: string, template: string | undefined): Promise<PGlite> {
  if (!(await holdsDatabase(dataDir))) {
    await clearLeftovers(dataDir);
    if (template) {
      try {
        await loadPgliteTemplate(dataDir, template);
        return await PGlite.create(dataDir, { startParams: START_PARAMS });
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
        logger.warn(
          `the database template ${template} was not used (${reason}); creating the database instead`,
        );
        await clearLeftovers(dataDir);
      }
    }
  }
  return PGlite.create(dataDir, { startParams: START_PARAMS });
}

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
  static async open(dataDir: string, options: PgliteOpenOptions = {}): Promise<PgliteSqlClient> {
    if (dataDir.startsWith('memory://')) {
      return new PgliteSqlClient(
        await PGlite.create(dataDir, { startParams: START_PARAMS }),
        async () => undefined,
      );
    }
    const unlock = await lockEmbeddedDatabase(dataDir);
    try {
      return new PgliteSqlClient(await openFolder(dataDir, options.template), unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  /**
   * Writes a template for `StoreModule`'s `dataDirTemplate`: a fresh, migrated database of this PGlite version, which
   * a first start copies instead of running initdb and the migrations.
   */
  static async writeTemplate(file: string): Promise<void> {
    const db = await PGlite.create({ startParams: START_PARAMS });
    try {
      await migrate(new PgliteSqlClient(db, async () => undefined));
      // A start from the template then has nothing to recover past this checkpoint.
      await db.exec('checkpoint');
      const dump = await db.dumpDataDir('none');
      await writeFile(file, await templateArchive(new Uint8Array(await dump.arrayBuffer())));
    } finally {
      await db.close();
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
