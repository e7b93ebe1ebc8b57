import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { ErrorBodyFilter } from '@ioauth/auth-http';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { EnterpriseAppModule } from './app.module.js';

const logger = new Logger('enterprise-app');

const app = await NestFactory.create<NestExpressApplication>(
  EnterpriseAppModule.register({
    dataDir: process.env['APP_DATA_DIR'] ?? './.enterprise-app',
    ...(process.env['DATABASE_URL'] ? { databaseUrl: process.env['DATABASE_URL'] } : {}),
  }),
);
// Every socket.io server of the app authenticates every handshake on every namespace.
app.useWebSocketAdapter(new IoauthIoAdapter(app));
// Contract error bodies (`{statusCode, code, message}`) for every refusal, the body parser's included.
app.useGlobalFilters(new ErrorBodyFilter());
app.useBodyParser('json', { limit: '16kb' });
app.disable('x-powered-by');
app.enableShutdownHooks();
await app.listen(Number(process.env['PORT'] ?? 3100), '127.0.0.1');
logger.log(`serving on ${await app.getUrl()}`);
