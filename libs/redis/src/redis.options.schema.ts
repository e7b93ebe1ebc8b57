import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import type { IoauthRedisOptions } from './redis.options.js';

const redisOptionsSchema = z.object({
  url: optionFields.url(['redis:', 'rediss:'], 'redis:// or rediss://'),
  namespace: optionFields.text(512).default('ioauth'),
});

/** `IoauthRedisOptions` with the defaults filled in. */
export type IoauthRedisSettings = z.output<typeof redisOptionsSchema> & Pick<IoauthRedisOptions, 'clock'>;

/**
 * Validates `IoauthRedisModule`'s options.
 * @throws OptionsError naming every bad option, never its value (a Redis URL may hold a password).
 */
export function parseRedisOptions(input: IoauthRedisOptions | Record<string, unknown>): IoauthRedisSettings {
  const { clock, ...rest } = input as IoauthRedisOptions;
  return { ...parseOptions('IoauthRedisModule', redisOptionsSchema, rest), ...(clock ? { clock } : {}) };
}
