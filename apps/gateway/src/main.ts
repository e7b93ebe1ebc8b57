import { runHttpApp } from '@ioauth/auth-http';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { GatewayAppModule } from './gateway-app.module.js';

await runHttpApp(
  (config) => GatewayAppModule.register(config),
  {},
  (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
);
