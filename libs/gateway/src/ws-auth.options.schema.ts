import { z } from 'zod';

import { optionFields, parseOptions } from '@ioauth/auth-core';

import type { WsAuthOptions } from './ws-auth.options.js';

const scalarOptionsSchema = z.object({
  handshakeIpLimit: optionFields.wholeNumber(1, 1_000_000, 300),
  allowQueryToken: optionFields.flag(false),
  trustProxy: optionFields.trustProxy,
});

/** `WsAuthOptions` with the defaults of the handshake settings filled in. */
export type WsAuthSettings = WsAuthOptions & z.output<typeof scalarOptionsSchema>;

/**
 * Validates `WsAuthModule`'s options and fills in the handshake defaults; the budgets are checked where they are
 * used.
 * @throws OptionsError naming every bad option.
 */
export function parseWsAuthOptions(options: WsAuthOptions): WsAuthSettings {
  const { handshakeIpLimit, allowQueryToken, trustProxy } = options;
  return {
    ...options,
    ...parseOptions('WsAuthModule', scalarOptionsSchema, { handshakeIpLimit, allowQueryToken, trustProxy }),
  };
}
