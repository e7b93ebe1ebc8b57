import { DEMO_CLIENT_EVENT_DOCS, DEMO_SERVER_EVENT_DOCS } from '@ioauth/demo-contracts';
import type { AsyncApiOptions } from '@ioauth/gateway';

import { DEMO_NAMESPACES } from './demo-namespaces.js';

/** What `/asyncapi.json` describes for an app with the demo's gateways: their namespaces and events. */
export const DEMO_ASYNC_API: AsyncApiOptions = {
  namespaces: DEMO_NAMESPACES.flatMap(({ namespace }) => (typeof namespace === 'string' ? [namespace] : [])),
  serverEvents: DEMO_SERVER_EVENT_DOCS,
  clientEvents: DEMO_CLIENT_EVENT_DOCS,
};
