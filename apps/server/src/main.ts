import { runHttpApp } from '@ioauth/config';
import { DEMO_NAMESPACES } from '@ioauth/demo';
import { DEMO_CLIENT_EVENT_DOCS, DEMO_SERVER_EVENT_DOCS } from '@ioauth/demo-contracts';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { AppModule } from './app.module.js';

// Demo mode is the default of `npm start` only (contract): the compiled server started by hand or by a platform
// (`node dist/apps/server/main.js`) seeds no demo users unless IOAUTH_DEMO=true says so.
await runHttpApp((options) => AppModule.register(options), {
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
