import { runHttpApp } from '@ioauth/config';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { GatewayAppModule } from './gateway-app.module.js';

await runHttpApp(
  (options) => GatewayAppModule.register(options),
  {},
  (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
);
