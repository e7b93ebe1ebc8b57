import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';

import { KeyStore, OptionsError } from '@ioauth/auth-core';
import { ConfigError, configErrorOf, loadIoauthOptions } from '@ioauth/config';
import { SessionService } from '@ioauth/sessions';
import {
  DuplicateUserError,
  EmbeddedDatabaseBusyError,
  IOAUTH_USERS,
  normalizeUsername,
  PasswordHasher,
  PasswordPolicy,
  WeakPasswordError,
  type UserRepository,
} from '@ioauth/store';

import { CliModule, type CliNeeds } from './cli.module.js';
import { readPassword } from './read-password.js';

type Context = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

/** Boots what the command needs of the configured deployment, runs `work`, and closes everything. */
async function withContext(needs: CliNeeds, work: (context: Context) => Promise<void>): Promise<void> {
  const context = await NestFactory.createApplicationContext(CliModule.register(loadIoauthOptions(), needs), {
    logger: ['error'],
  });
  try {
    await work(context);
  } finally {
    await context.close();
  }
}

function username(raw: string): string {
  const name = normalizeUsername(raw);
  if (name === undefined)
    throw new Error('the username is empty, too long, or holds a colon or control character');
  return name;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const program = new Command('ioauth')
  .description(
    'Manage the users, keys and sessions of an ioauth deployment (configured by the same environment).',
  )
  .showHelpAfterError();

const users = program.command('users').description('users who can log in');
users
  .command('add <name>')
  .description('add a user; the password is read from standard input, never from the command line')
  .option('--scopes <list>', 'comma-separated scopes', list, [])
  .option('--roles <list>', 'comma-separated roles', list, [])
  .action(async (raw: string, options: { scopes: string[]; roles: string[] }) => {
    const name = username(raw);
    const password = await readPassword();
    await withContext('users', async (context) => {
      context.get(PasswordPolicy).assertAcceptable(password);
      const passwordHash = await context.get(PasswordHasher).hash(password);
      await context
        .get<UserRepository>(IOAUTH_USERS)
        .create({ username: name, passwordHash, scopes: options.scopes, roles: options.roles }, new Date());
      console.log(`added ${name}`);
    });
  });
users
  .command('remove <name>')
  .description('remove a user and end their sessions')
  .action(async (raw: string) => {
    const name = username(raw);
    await withContext('tokens', async (context) => {
      // Revoked first and durably: the record outlives the user row, so their tokens stay refused after restarts.
      await context.get(SessionService).revokeUser(name, 'user_removed');
      if (!(await context.get<UserRepository>(IOAUTH_USERS).remove(name))) throw new Error(`no user ${name}`);
      console.log(`removed ${name}`);
    });
  });
users
  .command('list')
  .description('list the users')
  .action(() =>
    withContext('users', async (context) => {
      for (const user of await context.get<UserRepository>(IOAUTH_USERS).list()) {
        const flags = user.disabled ? ' (disabled)' : '';
        console.log(
          `${user.username}\tscopes=${user.scopes.join(',')}\troles=${user.roles.join(',')}${flags}`,
        );
      }
    }),
  );
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
      const name = username(raw);
      // Disabling ends sessions; enabling touches the user alone.
      await withContext(disabled ? 'tokens' : 'users', async (context) => {
        const found = await context.get<UserRepository>(IOAUTH_USERS).setDisabled(name, disabled, new Date());
        if (!found) throw new Error(`no user ${name}`);
        if (disabled) await context.get(SessionService).revokeUser(name, 'user_disabled');
        console.log(`${command}d ${name}`);
      });
    });
}

program
  .command('keys')
  .description('signing keys')
  .command('rotate')
  .description('make a new signing key; the old one verifies until its last token expires')
  .action(() =>
    withContext('tokens', async (context) => {
      const key = await context.get(KeyStore).rotate();
      console.log(`signing with ${key.kid}`);
    }),
  );

program
  .command('sessions')
  .description('sessions')
  .command('revoke')
  .description('end every session of a user, live sockets included (cluster-wide with REDIS_URL)')
  .requiredOption('--user <name>', 'the user')
  .action(async (options: { user: string }) => {
    const name = username(options.user);
    await withContext('tokens', async (context) => {
      const count = await context.get(SessionService).revokeUser(name, 'admin_kick');
      console.log(`revoked ${count} session(s) of ${name}`);
    });
  });

program
  .parseAsync()
  // Everything is closed by now, but the embedded PostgreSQL leaves a timer of its own armed after it closes
  // (emscripten's setitimer), which kept every command alive ~0.7 s past its work (issue 13). Exits once the output
  // is written.
  .then(() => process.stdout.write('', () => process.exit(0)))
  .catch((failure: unknown) => {
    const error = failure instanceof OptionsError ? configErrorOf(failure) : failure;
    const known =
      error instanceof ConfigError ||
      error instanceof EmbeddedDatabaseBusyError ||
      error instanceof DuplicateUserError ||
      error instanceof WeakPasswordError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`ioauth: ${known ? message : message.split('\n')[0]}\n`);
    process.exit(1);
  });
