import { Inject, Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';

import { IOAUTH_STORE_SETTINGS } from '../store.constants.js';
import type { StoreSettings } from '../store.options.schema.js';

/** Longest password accepted, in UTF-8 bytes: argon2's work must not grow with what a caller sends. */
export const MAX_PASSWORD_BYTES = 1024;

/** Why a password was refused: each has a fixed message, which never quotes the password. */
export type PasswordWeakness = 'too_short' | 'too_long' | 'too_common';

/** A password refused by `PasswordPolicy`; `reason` says which rule it broke. */
export class WeakPasswordError extends Error {
  override readonly name = 'WeakPasswordError';

  constructor(
    readonly reason: PasswordWeakness,
    message: string,
  ) {
    super(message);
  }
}

// zxcvbn-ts's list of the most used passwords from public breaches (about 49,000, lower case), shipped in the
// package: nothing is fetched at run time. Built on first use only, since a server that sets no password never
// needs it.
let common: ReadonlySet<string> | undefined;
const isCommon = (password: string) =>
  (common ??= new Set(dictionary['passwords-common'])).has(password.normalize('NFKC').toLowerCase());

/**
 * The rules for a password being set (CLI, admin API, password change), after OWASP ASVS 5.0 V6.2: at least
 * `passwordMinLength` characters (V6.2.1), any characters and up to 1024 bytes (V6.2.9), not one of the
 * most common passwords (V6.2.4, compared ignoring case), and no composition rules (V6.2.5). Logins do not apply
 * it: a password set before the rules changed still logs in.
 */
@Injectable()
export class PasswordPolicy {
  private readonly minLength: number;

  constructor(@Inject(IOAUTH_STORE_SETTINGS) config: Pick<StoreSettings, 'passwordMinLength'>) {
    this.minLength = config.passwordMinLength;
  }

  /** The first rule `password` breaks, or `undefined` when it may be set. */
  weakness(password: string): PasswordWeakness | undefined {
    // Bytes first: nothing else is computed over an oversized input.
    if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return 'too_long';
    // Characters are code points (NIST SP 800-63B 5.1.1.2), so that a non-ASCII letter counts once.
    if ([...password.normalize('NFC')].length < this.minLength) return 'too_short';
    if (isCommon(password)) return 'too_common';
    return undefined;
  }

  /**
   * Checks a password about to be set.
   * @throws WeakPasswordError with `reason` `too_short`, `too_long` or `too_common`.
   */
  assertAcceptable(password: string): void {
    const reason = this.weakness(password);
    if (reason === 'too_long')
      throw new WeakPasswordError(reason, `the password is longer than ${MAX_PASSWORD_BYTES} bytes`);
    if (reason === 'too_short')
      throw new WeakPasswordError(reason, `the password is shorter than ${this.minLength} characters`);
    if (reason === 'too_common')
      throw new WeakPasswordError(reason, 'the password is one of the most commonly used: choose another');
  }
}
