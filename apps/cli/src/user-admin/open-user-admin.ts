import { NestFactory } from '@nestjs/core';

import { KeyStore } from '@ioauth/auth-core';
import { loadIoauthOptions, type IoauthEnvOptions } from '@ioauth/config';
import { UserAdminService } from '@ioauth/sessions';
import { EmbeddedDatabaseBusyError } from '@ioauth/store';

import { CliError } from '../cli.error.js';
import { CliModule } from '../cli.module.js';
import { DirectUserAdmin } from './direct-user-admin.js';
import { readLocalAdminCredential } from './local-admin-credential.js';
import { RemoteUserAdmin } from './remote-user-admin.js';
import type { UserAdminPort } from './user-admin.port.js';

type Context = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

/** Boots the deployment's store, keys and sessions as configured. */
async function openContext(options: IoauthEnvOptions): Promise<Context> {
  // A refused start (a busy store, a bad key file) is thrown to the CLI, which says it in one line (or in JSON),
  // rather than logged with its stack and exited by Nest.
  const context = await NestFactory.createApplicationContext(CliModule.register(options), {
    logger: false,
    abortOnError: false,
  });
  context.useLogger(['error']);
  return context;
}

/** Runs `work`, then closes `context` whatever happened. */
async function closingAfter<T>(context: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await context.close();
  }
}

/**
 * Runs `work` on the configured deployment's users: on its store directly, or, when a running server holds the
 * embedded store, through that server's admin API with the local admin credential it published (issue 14).
 * @throws CliError `store_busy` when the holder publishes none, `admin_api_unavailable` for a stale credential,
 *   `credential_file_unsafe`; ConfigError for a bad environment.
 */
export async function withUserAdmin<T>(work: (users: UserAdminPort) => Promise<T>): Promise<T> {
  const options = loadIoauthOptions();
  let context: Context;
  try {
    context = await openContext(options);
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseBusyError)) throw error;
    return work(await remoteUserAdmin(options, error));
  }
  return closingAfter(context, () => work(new DirectUserAdmin(context.get(UserAdminService))));
}

async function remoteUserAdmin(
  options: IoauthEnvOptions,
  busy: EmbeddedDatabaseBusyError,
): Promise<RemoteUserAdmin> {
  // Where the server writes it: the same configuration names the same file (`<IOAUTH_DATA_DIR>/admin-api.json`).
  const file = options.http.localAdminFile;
  const credential = file === undefined ? undefined : await readLocalAdminCredential(file);
  if (!credential) throw new CliError('store_busy', busy.message);
  // A file left by a server that died: whatever holds the store now did not write it.
  if (credential.pid !== busy.pid)
    throw new CliError(
      'admin_api_unavailable',
      `${credential.file} was written by process ${credential.pid}, but process ${busy.pid} holds the store: the file is ` +
        'stale; stop that process, or remove the file',
    );
  return new RemoteUserAdmin(credential);
}

/** Makes a new signing key in the configured store; the embedded store must be free (no admin route rotates keys). */
export async function rotateSigningKey(): Promise<string> {
  const context = await openContext(loadIoauthOptions());
  return closingAfter(context, async () => (await context.get(KeyStore).rotate()).kid);
}
