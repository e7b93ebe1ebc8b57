import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import type { AuthHttpOptions } from './auth-http.options.js';

const { wholeNumber, trustProxy } = optionFields;

const authHttpOptionsSchema = z.object({
  loginIpLimit: wholeNumber(1, 100_000, 30),
  refreshIpLimit: wholeNumber(1, 100_000, 60),
  trustProxy,
});

/** `AuthHttpOptions` with every default filled in. */
export type AuthHttpSettings = z.output<typeof authHttpOptionsSchema>;

/**
 * Validates `AuthHttpModule`'s options and fills in the defaults.
 * @throws OptionsError naming every bad option at once, never its value.
 */
export function parseAuthHttpOptions(
  input: AuthHttpOptions | Record<string, unknown> = {},
): AuthHttpSettings {
  return parseOptions('AuthHttpModule', authHttpOptionsSchema, input);
}
