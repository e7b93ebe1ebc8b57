import { runHttpApp } from '@ioauth/config';
import { DEMO_NAMESPACES } from '@ioauth/demo';
import { DEMO_CLIENT_EVENT_DOCS, DEMO_SERVER_EVENT_DOCS } from '@ioauth/demo-contracts';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { GatewayAppModule } from './gateway-app.module.js';

await runHttpApp((options) => GatewayAppModule.register(options), {
  configure: (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
  apiDocs: {
    asyncApi: {
      namespaces: DEMO_NAMESPACES.flatMap(({ namespace }) =>
        typeof namespace === 'string' ? [namespace] : [],
      ),
      serverEvents: DEMO_SERVER_EVENT_DOCS,
      clientEvents: DEMO_CLIENT_EVENT_DOCS,
    },
  },
});
