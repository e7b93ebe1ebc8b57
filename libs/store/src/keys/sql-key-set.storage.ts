import { Logger } from '@nestjs/common';

import type { FileKeySetStorage, KeySetStorage, StoredKey } from '@ioauth/auth-core';

import type { SqlClient } from '../sql/sql-client.js';

const logger = new Logger('SqlKeySetStorage');

const SELECT = 'select keys from ioauth_key_set where id = 1';
const UPSERT = `insert into ioauth_key_set (id, keys, updated_at) values (1, $1::jsonb, now())
  on conflict (id) do update set keys = excluded.keys, updated_at = excluded.updated_at`;
// Serialises read-modify-write updates across processes, whether the row exists yet or not. Any constant works, as
// long as every ioauth process uses the same one (the migrations take 0x10a07400).
const KEY_SET_LOCK = 0x10a0_7401;

function keysOf(row: { keys: unknown } | undefined): StoredKey[] | undefined {
  if (row === undefined) return undefined;
  // PGlite and pg both parse jsonb; anything but an array is not a key set we wrote.
  if (!Array.isArray(row.keys)) throw new Error('the stored key set is malformed');
  return row.keys as StoredKey[];
}

/**
 * Keeps the managed key set in the database (one row of `ioauth_key_set`), so that every process of a deployment
 * and the CLI share one signing key and see each other's rotations. The row holds private JWKs: it is read and
 * written here only, and never logged. The database's credentials guard the keys like the key file's mode does.
 */
export class SqlKeySetStorage implements KeySetStorage {
  private importChecked = false;

  /**
   * @param importFrom the `keys.json` of installs that kept their keys in a file: read once, when the database
   *   holds no key set yet, so that the tokens it signed stay valid.
   */
  constructor(
    private readonly sql: SqlClient,
    private readonly importFrom?: FileKeySetStorage,
  ) {}

  async load(): Promise<StoredKey[]> {
    const stored = keysOf((await this.sql.query<{ keys: unknown }>(SELECT))[0]);
    if (stored !== undefined) return stored;
    if (this.importFrom && !this.importChecked) {
      this.importChecked = true;
      const legacy = await this.importFrom.load();
      if (legacy.length > 0 && (await this.saveFirst(legacy))) {
        logger.log(
          `imported the signing keys of ${this.importFrom.file} into the database; the file is no longer read ` +
            'and can be deleted',
        );
      }
      return this.load();
    }
    return [];
  }

  async save(keys: StoredKey[]): Promise<void> {
    await this.sql.query(UPSERT, [JSON.stringify(keys)]);
  }

  async saveFirst(keys: StoredKey[]): Promise<boolean> {
    // The primary key decides between processes starting together: one insert wins, the others do nothing.
    const inserted = await this.sql.query(
      `insert into ioauth_key_set (id, keys, updated_at) values (1, $1::jsonb, now())
       on conflict (id) do nothing returning id`,
      [JSON.stringify(keys)],
    );
    return inserted.length > 0;
  }

  async update(change: (keys: StoredKey[]) => StoredKey[]): Promise<StoredKey[]> {
    return this.sql.transaction(async (tx) => {
      // A concurrent rotation waits here for this one to commit, then reads its result: none is lost.
      await tx.query('select pg_advisory_xact_lock($1)', [KEY_SET_LOCK]);
      const next = change(keysOf((await tx.query<{ keys: unknown }>(SELECT))[0]) ?? []);
      await tx.query(UPSERT, [JSON.stringify(next)]);
      return next;
    });
  }
}
