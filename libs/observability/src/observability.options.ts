import type { Logger } from 'pino';
import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import { LOG_LEVELS, type LogLevel } from './log-level.js';

/** Options of `ObservabilityModule.forRoot`. */
export interface ObservabilityOptions {
  /** Serve Prometheus metrics at `GET /metrics`; default false (404). */
  metrics?: boolean;
  /** Lowest level written: one of `LOG_LEVELS`; default `info`. Unused when `logger` is given. */
  logLevel?: LogLevel;
  /** The app's pino logger, to share one with lines written before the app starts; default a new one. */
  logger?: Logger;
}

/** `ObservabilityOptions` with the defaults filled in. */
export interface ObservabilitySettings {
  metrics: boolean;
  logLevel: LogLevel;
  logger?: Logger;
}

const logLevel = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
);

const pinoLogger = z.custom<Logger>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Logger).child === 'function',
  { error: 'must be a pino logger' },
);

const observabilityOptionsSchema = z.object({
  metrics: optionFields.flag(false),
  logLevel,
  logger: pinoLogger.optional(),
});

/**
 * Validates `ObservabilityModule`'s options and fills in the defaults.
 * @throws OptionsError naming every bad option.
 */
export function parseObservabilityOptions(
  input: ObservabilityOptions | Record<string, unknown> = {},
): ObservabilitySettings {
  return parseOptions('ObservabilityModule', observabilityOptionsSchema, input);
}
