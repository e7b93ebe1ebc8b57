import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

import { CliError } from '../cli.error.js';

/** What a server holding the embedded store publishes for the CLI in `<IOAUTH_DATA_DIR>/admin-api.json`. */
export interface LocalAdminCredential {
  /** Origin of the server's admin API, on a loopback address. */
  url: string;
  /** Sent as `X-Ioauth-Local-Admin`; never printed. */
  key: string;
  /** The server's process. */
  pid: number;
  /** Where it was read, for messages. */
  file: string;
}

const MAX_FILE_BYTES = 64 * 1024;
// The addresses the server writes; a name (localhost) would be resolved, possibly elsewhere.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);
const KEY = /^[\w-]{16,512}$/;

/**
 * Reads the local admin credential of the server holding the embedded store, trusting it only as OpenSSH trusts a
 * private key: a regular file (not a link), owned by this user, closed to group and others. A file that others
 * could write may send the passwords this CLI sets to a listener of theirs; one they could read gives them the key.
 * @returns undefined when there is none (the server offers no admin API to the CLI).
 * @throws CliError `credential_file_unsafe`, or `admin_api_unavailable` for a file that is not one.
 */
export async function readLocalAdminCredential(file: string): Promise<LocalAdminCredential | undefined> {
  let handle: FileHandle;
  try {
    // O_NOFOLLOW, and every check on the opened handle, so that the file cannot be swapped between check and read.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw unsafe(file, 'is a symbolic link');
    throw error;
  }
  try {
    assertPrivate(file, await handle.stat());
    return parseCredential(await handle.readFile('utf8'), file);
  } finally {
    await handle.close();
  }
}

function assertPrivate(file: string, stat: Stats): void {
  if (!stat.isFile()) throw unsafe(file, 'is not a regular file');
  if ((stat.mode & 0o077) !== 0)
    throw unsafe(
      file,
      `is open to other users (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')}); restart the server, ` +
        'which writes it with mode 600',
    );
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    throw unsafe(file, 'belongs to another user: run the CLI as the user that runs the server');
  if (stat.size > MAX_FILE_BYTES) throw invalid(file);
}

function parseCredential(text: string, file: string): LocalAdminCredential {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(file);
  }
  const { url, key, pid } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof url !== 'string' || typeof key !== 'string' || !KEY.test(key) || !Number.isSafeInteger(pid))
    throw invalid(file);
  let origin: URL;
  try {
    origin = new URL(url);
  } catch {
    throw invalid(file);
  }
  // The key and the passwords of `users add` go where this URL says: never off this machine.
  if (
    origin.protocol !== 'http:' ||
    !LOOPBACK_HOSTS.has(origin.hostname) ||
    origin.username ||
    origin.password
  )
    throw unsafe(file, 'names an address that is not a loopback one');
  return { url: origin.origin, key, pid: pid as number, file };
}

const unsafe = (file: string, why: string) =>
  new CliError('credential_file_unsafe', `refusing the local admin credential: ${file} ${why}`);

const invalid = (file: string) =>
  new CliError(
    'admin_api_unavailable',
    `${file} is not a local admin credential of ioauth: stop the server, remove the file and start it again`,
  );
