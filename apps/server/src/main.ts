import { runHttpApp } from '@ioauth/config';
import { DEMO_ASYNC_API } from '@ioauth/demo';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { AppModule } from './app.module.js';

// Demo mode is the default of `npm start` only (contract): the compiled server started by hand or by a platform
// (`node dist/apps/server/main.js`) seeds no demo users unless IOAUTH_DEMO=true says so.
await runHttpApp((options) => AppModule.register(options), {
  configure: (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
  apiDocs: { asyncApi: DEMO_ASYNC_API },
});
