import { runHttpApp } from '@ioauth/config';
import { DEMO_ASYNC_API } from '@ioauth/demo';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { GatewayAppModule } from './gateway-app.module.js';

await runHttpApp((options) => GatewayAppModule.register(options), {
  configure: (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
  apiDocs: { asyncApi: DEMO_ASYNC_API },
});
