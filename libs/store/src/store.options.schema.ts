import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import type { StoreOptions } from './store.options.js';

const storeOptionsSchema = z.object({
  databaseUrl: optionFields.url(['postgres:', 'postgresql:'], 'postgres://').optional(),
  dataDir: optionFields.text(4096).default('./.ioauth'),
  dataDirTemplate: optionFields.text(4096).optional(),
  // ASVS 5.0 V6.2.1 asks for at least 8 characters and V6.2.9 for at least 64 to be allowed: a minimum beyond that
  // would refuse the passphrases the policy should welcome.
  passwordMinLength: optionFields.wholeNumber(8, 64, 8),
});

/** `StoreOptions` with the defaults filled in. */
export type StoreSettings = z.output<typeof storeOptionsSchema>;

/**
 * Validates `StoreModule`'s options and fills in the defaults.
 * @throws OptionsError naming every bad option, never its value (a database URL may hold a password).
 */
export function parseStoreOptions(input: StoreOptions | Record<string, unknown> = {}): StoreSettings {
  return parseOptions('StoreModule', storeOptionsSchema, input);
}
