import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

/** Options of `ObservabilityModule.forRoot`. */
export interface ObservabilityOptions {
  /** Serve Prometheus metrics at `GET /metrics`; default false (404). */
  metrics?: boolean;
}

const observabilityOptionsSchema = z.object({ metrics: optionFields.flag(false) });

/**
 * Validates `ObservabilityModule`'s options and fills in the defaults.
 * @throws OptionsError naming every bad option.
 */
export function parseObservabilityOptions(
  input: ObservabilityOptions | Record<string, unknown> = {},
): Required<ObservabilityOptions> {
  return parseOptions('ObservabilityModule', observabilityOptionsSchema, input);
}
