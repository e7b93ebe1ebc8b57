import { Command, CommanderError } from 'commander';

import { parseUsername } from '@ioauth/sessions';

import { toCliError } from './cli.error.js';
import { CliOutput } from './cli.output.js';
import type { CliDependencies, CommandContext } from './command-context.js';
import { addUserCommands } from './users.commands.js';

/**
 * Runs the CLI on `args` (what follows `ioauth` on the command line).
 * @returns the exit code: 0, or 1 after an error (printed, or with `--json` written as `{"error":{"code","message"}}`
 *   on standard output).
 */
export async function runCli(args: readonly string[], deps: CliDependencies): Promise<number> {
  let exitCode = 0;
  const program = new Command('ioauth');
  const json = () => program.opts()['json'] === true;
  const output = () => new CliOutput(json(), deps.stdout, deps.stderr);
  program
    .description(
      'Manage the users, keys and sessions of an ioauth deployment (configured by the same environment). While ' +
        'a server holds the embedded store, the user commands go through its admin API.',
    )
    .option('--json', 'print one JSON value on standard output, errors included, for scripts')
    .version(deps.version(), '-V, --version', 'print the version of ioauth')
    // Settings that the commands below inherit: usage errors are thrown here, and said in JSON under --json.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => (json() ? undefined : deps.stderr.write(text)),
    })
    .showHelpAfterError();

  const context: CommandContext = { deps, output, fail: () => (exitCode = 1) };
  addUserCommands(program, context);

  program
    .command('keys')
    .description('signing keys')
    .command('rotate')
    .description(
      'make a new signing key; the old one verifies until its last token expires (needs the store: stop the server)',
    )
    .action(async () => {
      const kid = await deps.rotateKey();
      output().result(`signing with ${kid}`, { kid });
    });

  program
    .command('sessions')
    .description('sessions')
    .command('revoke')
    .description('end every session of a user, live sockets included (cluster-wide with REDIS_URL)')
    .requiredOption('--user <name>', 'the user')
    .action(async (options: { user: string }) => {
      const username = parseUsername(options.user);
      const revoked = await deps.withUsers((users) => users.endSessions(username));
      output().result(`revoked ${revoked} session(s) of ${username}`, { username, revoked });
    });

  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    // Commander has said what was wrong with the command line, unless --json silenced it.
    if (!(error instanceof CommanderError) || json()) output().error(toCliError(error));
    return 1;
  }
}
