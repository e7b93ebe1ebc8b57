import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import type { AuthHttpOptions } from './auth-http.options.js';

const { wholeNumber, flag, trustProxy } = optionFields;

// An origin as a browser sends it in `Origin`: scheme, host and port, nothing else (RFC 6454 section 6.1).
const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};

const ORIGINS_MESSAGE =
  'must be a list of 1 to 64 origins such as https://app.example, without path or slash';

const authHttpOptionsSchema = z
  .object({
    loginIpLimit: wholeNumber(1, 100_000, 30),
    refreshIpLimit: wholeNumber(1, 100_000, 60),
    trustProxy,
    refreshCookie: flag(false),
    refreshCookieOrigins: z
      .array(z.string().refine(isOrigin, ORIGINS_MESSAGE), { error: ORIGINS_MESSAGE })
      .min(1, ORIGINS_MESSAGE)
      .max(64, ORIGINS_MESSAGE)
      .optional(),
    localAdminFile: z.string({ error: 'must be a file path' }).min(1, 'must be a file path').optional(),
  })
  .refine((options) => options.refreshCookie || options.refreshCookieOrigins === undefined, {
    path: ['refreshCookieOrigins'],
    error: 'is only used with `refreshCookie`',
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
