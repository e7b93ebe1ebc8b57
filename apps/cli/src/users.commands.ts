import type { Command } from 'commander';

import { parseUsername } from '@ioauth/sessions';

import { CliError } from './cli.error.js';
import { userLine } from './cli.output.js';
import type { CommandContext } from './command-context.js';
import { ImportProgress } from './import/import-progress.js';
import { parseUserFile } from './import/user-file.parser.js';
import { importUsers } from './import/user-import.js';

/** `--scopes a,b`: a comma-separated list; an empty value is the empty list. */
const grantList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The `users` commands, each written once against `UserAdminPort`, whichever backend runs it. */
export function addUserCommands(program: Command, { deps, output, fail }: CommandContext): void {
  const users = program.command('users').description('users who can log in');

  users
    .command('add <name>')
    .description('add a user; the password is read from standard input, never from the command line')
    .option('--scopes <list>', 'comma-separated scopes', grantList)
    .option('--roles <list>', 'comma-separated roles', grantList)
    .action(async (raw: string, options: { scopes?: string[]; roles?: string[] }) => {
      const username = parseUsername(raw);
      const password = await deps.readPassword();
      const user = await deps.withUsers((admin) => admin.create({ username, password, ...options }));
      output().result(`added ${user.username}`, user);
    });

  users
    .command('remove <name>')
    .description('remove a user and end their sessions')
    .action(async (raw: string) => {
      const username = parseUsername(raw);
      await deps.withUsers((admin) => admin.remove(username));
      output().result(`removed ${username}`, { username, removed: true });
    });

  users
    .command('list')
    .description('list the users')
    .action(async () => output().users(await deps.withUsers((admin) => admin.list())));

  for (const [command, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${command} <name>`)
      .description(
        disabled ? 'refuse the logins of a user and end their sessions' : 'let a disabled user log in again',
      )
      .action(async (raw: string) => {
        const username = parseUsername(raw);
        const user = await deps.withUsers((admin) => admin.update(username, { disabled }));
        output().result(`${command}d ${user.username}`, user);
      });
  }

  users
    .command('set-password <name>')
    .description('set a new password, read from standard input, and end every session of the user')
    .action(async (raw: string) => {
      const username = parseUsername(raw);
      const password = await deps.readPassword();
      const user = await deps.withUsers((admin) => admin.update(username, { password }));
      output().result(`set the password of ${user.username} and ended their sessions`, user);
    });

  users
    .command('set-grants <name>')
    .description(
      'replace the scopes, the roles or both of a user (--scopes "" takes them all); what is taken away applies ' +
        'to their live tokens and sockets at once',
    )
    .option('--scopes <list>', 'comma-separated scopes', grantList)
    .option('--roles <list>', 'comma-separated roles', grantList)
    .action(async (raw: string, options: { scopes?: string[]; roles?: string[] }) => {
      const username = parseUsername(raw);
      if (options.scopes === undefined && options.roles === undefined)
        throw new CliError('invalid_request', 'give --scopes, --roles or both');
      const user = await deps.withUsers((admin) => admin.update(username, options));
      output().result(userLine(user), user);
    });

  users
    .command('import <file>')
    .description(
      'add the users of a JSON file ([{"username","password","scopes":[],"roles":[]}]) or a CSV file (header ' +
        'username,password,scopes,roles; scopes and roles separated by spaces or ";"); existing users are skipped',
    )
    .action(async (file: string) => {
      const rows = parseUserFile(await readImportFile(deps.readFile, file), file);
      const progress = new ImportProgress(deps.stderr, rows.length);
      const report = await deps
        .withUsers((admin) => importUsers(rows, admin, { onProgress: (done) => progress.update(done) }))
        .finally(() => progress.end());
      output().importReport(report);
      if (report.failed.length > 0 || report.stopped) fail();
    });
}

async function readImportFile(
  read: (path: string) => Promise<Uint8Array>,
  file: string,
): Promise<Uint8Array> {
  try {
    return await read(file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new CliError('invalid_request', `cannot read ${file} (${code})`, { cause: error });
  }
}
