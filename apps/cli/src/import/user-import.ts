import { toCliError } from '../cli.error.js';
import type { UserAdminPort } from '../user-admin/user-admin.port.js';
import type { ImportRow } from './user-file.parser.js';

/** A row that was not imported, and why. Never its password. */
export interface ImportFailure {
  row: number;
  username?: string;
  code: string;
  message: string;
}

/** What an import did, row by row in file order. */
export interface ImportReport {
  /** Rows in the file. */
  total: number;
  added: string[];
  /** Users the store had already: left as they are, never overwritten. */
  skipped: string[];
  failed: ImportFailure[];
  /** Set when an error that no row caused (the server stopped, say) ended the import early. */
  stopped?: ImportFailure;
}

export interface ImportOptions {
  /** Rows in flight at once: each costs an argon2id hash, which runs on libuv's 4 threads. */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

// What a row itself can be refused for; anything else is not the row's fault and stops the import.
const ROW_REFUSALS = new Set(['invalid_request', 'weak_password']);

/**
 * Adds the users of an import file: a user that exists already is skipped, a bad row is reported and the others go
 * on. Stops early, saying where, on an error no row caused; running the import again then adds what is left.
 */
export async function importUsers(
  rows: readonly ImportRow[],
  users: UserAdminPort,
  { concurrency = 4, onProgress }: ImportOptions = {},
): Promise<ImportReport> {
  const added: { row: number; username: string }[] = [];
  const skipped: { row: number; username: string }[] = [];
  const failed: ImportFailure[] = [];
  let stopped: ImportFailure | undefined;
  let next = 0;
  let done = 0;
  const work = async () => {
    while (stopped === undefined && next < rows.length) {
      const row = rows[next++] as ImportRow;
      const outcome = await importRow(row, users);
      if (outcome.added) added.push({ row: row.row, username: outcome.added });
      else if (outcome.skipped) skipped.push({ row: row.row, username: outcome.skipped });
      else if (outcome.stopped) stopped ??= outcome.stopped;
      else if (outcome.failed) failed.push(outcome.failed);
      onProgress?.((done += 1));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, work));
  const byRow = <T extends { row: number }>(items: T[]) => items.sort((a, b) => a.row - b.row);
  return {
    total: rows.length,
    added: byRow(added).map(({ username }) => username),
    skipped: byRow(skipped).map(({ username }) => username),
    failed: byRow(failed),
    ...(stopped ? { stopped } : {}),
  };
}

type Outcome = { added?: string; skipped?: string; failed?: ImportFailure; stopped?: ImportFailure };

async function importRow(row: ImportRow, users: UserAdminPort): Promise<Outcome> {
  const named = row.username === undefined ? {} : { username: row.username };
  if ('error' in row) return { failed: { row: row.row, ...named, ...row.error } };
  try {
    return { added: (await users.create(row.user)).username };
  } catch (error) {
    const { code, message } = toCliError(error);
    if (code === 'conflict' && row.username !== undefined) return { skipped: row.username };
    const failure = { row: row.row, ...named, code, message };
    return ROW_REFUSALS.has(code) ? { failed: failure } : { stopped: failure };
  }
}
