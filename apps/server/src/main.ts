import { runHttpApp } from '@ioauth/config';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { AppModule } from './app.module.js';

// Contract: demo mode is the default of `npm start` only.
await runHttpApp(
  (options) => AppModule.register(options),
  { IOAUTH_DEMO: 'true' },
  (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
);
