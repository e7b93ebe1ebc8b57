import { CommanderError } from 'commander';

import { AuthError, OptionsError } from '@ioauth/auth-core';
import { ConfigError } from '@ioauth/config';
import { EmbeddedDatabaseBusyError } from '@ioauth/store';

import { CliError, toCliError } from './cli.error.js';

describe('toCliError', () => {
  it.each<[string, unknown, string, string | RegExp]>([
    [
      'a refusal of UserAdminService',
      new AuthError('not_found', 'no such user'),
      'not_found',
      'no such user',
    ],
    [
      'a bad environment',
      new ConfigError([{ variable: 'IOAUTH_JWT_ALG', option: 'algorithm', message: 'must be one of ES256' }]),
      'invalid_config',
      /IOAUTH_JWT_ALG \(algorithm\) must be one of ES256/,
    ],
    [
      'a module refusing its options once it runs, by the variable behind them',
      new OptionsError('StoreModule', [{ option: 'passwordMinLength', message: 'must be 8 to 64' }]),
      'invalid_config',
      /IOAUTH_PASSWORD_MIN_LENGTH/,
    ],
    [
      'a busy embedded store',
      new EmbeddedDatabaseBusyError('/data/db', 42),
      'store_busy',
      /in use by another ioauth process \(pid 42\)/,
    ],
    [
      "a usage error, without commander's prefix",
      new CommanderError(1, 'commander.missingArgument', "error: missing required argument 'name'"),
      'invalid_request',
      "missing required argument 'name'",
    ],
    [
      'a missing command',
      new CommanderError(1, 'commander.help', '(outputHelp)'),
      'invalid_request',
      'a command is missing: see ioauth --help',
    ],
    ['anything else, by its first line', new Error('boom\n    at x (y.js:1:1)'), 'internal_error', 'boom'],
    ['a thrown string', 'odd', 'internal_error', 'odd'],
  ])('says %s with a stable code', (_case, error, code, message) => {
    const cliError = toCliError(error);
    expect(cliError).toBeInstanceOf(CliError);
    expect(cliError.code).toBe(code);
    if (typeof message === 'string') expect(cliError.message).toBe(message);
    else expect(cliError.message).toMatch(message);
  });

  it('keeps a CliError as it is', () => {
    const error = new CliError('credential_file_unsafe', 'refusing');
    expect(toCliError(error)).toBe(error);
  });
});
