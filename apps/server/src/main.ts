import { runHttpApp } from '@ioauth/auth-http';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { AppModule } from './app.module.js';

// Contract: demo mode is the default of `npm start` only.
await runHttpApp(
  (config) => AppModule.register(config),
  { demo: 'true' },
  (app) => app.useWebSocketAdapter(new IoauthIoAdapter(app)),
);
