import type { AdminUser } from '@ioauth/contracts';

import type { CliError } from './cli.error.js';
import type { ImportFailure, ImportReport } from './import/user-import.js';

/** Standard output or error. */
export interface OutputSink {
  write(chunk: string): unknown;
}

/**
 * What a command prints: lines for people, or with `--json` one JSON value on standard output for scripts, errors
 * included (`{"error":{"code","message"}}`), so that a script reads one stream and the exit code.
 */
export class CliOutput {
  constructor(
    private readonly json: boolean,
    private readonly stdout: OutputSink,
    private readonly stderr: OutputSink,
  ) {}

  /** A command's result: `text` for people, `value` for scripts. */
  result(text: string, value: unknown): void {
    this.stdout.write(this.json ? toJson(value) : `${text}\n`);
  }

  /** Users, one line each; the JSON array is the admin API's user objects (never a password hash). */
  users(users: readonly AdminUser[]): void {
    this.stdout.write(this.json ? toJson(users) : users.map((user) => `${userLine(user)}\n`).join(''));
  }

  importReport(report: ImportReport): void {
    this.stdout.write(this.json ? toJson(report) : importSummary(report));
  }

  error(error: CliError): void {
    if (this.json) this.stdout.write(toJson({ error: { code: error.code, message: error.message } }));
    else this.stderr.write(`ioauth: ${error.message}\n`);
  }
}

const toJson = (value: unknown) => `${JSON.stringify(value)}\n`;

/** `carol<TAB>scopes=chat:read,chat:write<TAB>roles=moderator`, and ` (disabled)` for a disabled user. */
export function userLine(user: AdminUser): string {
  const flags = user.disabled ? ' (disabled)' : '';
  return `${user.username}\tscopes=${user.scopes.join(',')}\troles=${user.roles.join(',')}${flags}`;
}

/** The summary of an import: the counts, then one line per row not imported. */
export function importSummary(report: ImportReport): string {
  const { total, added, skipped, failed, stopped } = report;
  const lines = [
    `added ${added.length}, skipped existing ${skipped.length}, failed ${failed.length}`,
    ...failed.map((failure) => `${where(failure)}: ${failure.message}`),
  ];
  if (stopped) {
    const left = total - added.length - skipped.length - failed.length;
    lines.push(
      `stopped at ${where(stopped)}: ${stopped.message}`,
      `${left} row(s) not imported: run the import again (existing users are skipped)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const where = ({ row, username }: ImportFailure) =>
  `row ${row}${username === undefined ? '' : ` (${username})`}`;
