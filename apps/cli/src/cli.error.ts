import { CommanderError } from 'commander';

import { isAuthError, OptionsError } from '@ioauth/auth-core';
import type { ErrorCode } from '@ioauth/contracts';
import { ConfigError, configErrorOf } from '@ioauth/config';
import { EmbeddedDatabaseBusyError } from '@ioauth/store';

/**
 * The codes of a failed command (`--json` prints `{"error":{"code","message"}}`): the contract's codes for what
 * `UserAdminService` and the admin API refuse, and the CLI's own for what goes wrong around them.
 */
export type CliErrorCode =
  | ErrorCode
  /** A bad environment variable. */
  | 'invalid_config'
  /** The embedded store is held by another process that offers no admin API to the CLI (or `keys rotate`). */
  | 'store_busy'
  /** The server named in `admin-api.json` does not answer, or refused its key: the file is stale. */
  | 'admin_api_unavailable'
  /** `admin-api.json` may have been read or written by someone else: its key is not trusted. */
  | 'credential_file_unsafe'
  | 'internal_error';

/** A failed command: a stable code and a short message that never holds a password, a key or a token. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whatever a command threw, as the `CliError` the operator sees. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (isAuthError(error)) return new CliError(error.code, error.message, { cause: error });
  if (error instanceof OptionsError) return new CliError('invalid_config', configErrorOf(error).message);
  if (error instanceof ConfigError) return new CliError('invalid_config', error.message);
  if (error instanceof EmbeddedDatabaseBusyError) return new CliError('store_busy', error.message);
  if (error instanceof CommanderError)
    return new CliError('invalid_request', usageMessage(error), { cause: error });
  // Anything else is unexpected: its first line only, since the rest may be a stack or a driver's dump.
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('internal_error', message.split('\n')[0] ?? '', { cause: error });
}

function usageMessage(error: CommanderError): string {
  // `ioauth users` alone: commander shows the help, as an error.
  if (error.code === 'commander.help') return 'a command is missing: see ioauth --help';
  return error.message.replace(/^error: /, '');
}
