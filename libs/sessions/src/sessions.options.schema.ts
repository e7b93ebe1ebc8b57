import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import type { ClaimsHook } from './claims/claims-hook.js';
import type { SessionsOptions } from './sessions.options.js';
import type { UserDirectory } from './users/user-directory.js';

const { wholeNumber } = optionFields;

const isFunction = (value: unknown) => typeof value === 'function';

const sessionsOptionsSchema = z.object({
  refreshTokenTtl: wholeNumber(60, 31_536_000, 1_209_600),
  sessionMaxAge: wholeNumber(60, 31_536_000, 2_592_000),
  loginUserLimit: wholeNumber(1, 10_000, 10),
  users: z
    .custom<UserDirectory>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        isFunction((value as UserDirectory).verifyPassword) &&
        isFunction((value as UserDirectory).findUser),
      { error: 'must be a UserDirectory, with verifyPassword and findUser' },
    )
    .optional(),
  claims: z.custom<ClaimsHook>(isFunction, { error: 'must be a function' }).optional(),
});

/** `SessionsOptions` with every default filled in. */
export type SessionsSettings = z.output<typeof sessionsOptionsSchema>;

/**
 * Validates `SessionsModule`'s options and fills in the defaults.
 * @throws OptionsError naming every bad option at once, never its value.
 */
export function parseSessionsOptions(
  input: SessionsOptions | Record<string, unknown> = {},
): SessionsSettings {
  return parseOptions('SessionsModule', sessionsOptionsSchema, input);
}
