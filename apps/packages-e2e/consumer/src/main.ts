import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { ErrorBodyFilter } from '@ioauth/auth-http';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { AppModule } from './app.module.js';

const dataDir = process.env['DATA_DIR'];
if (!dataDir) throw new Error('DATA_DIR is required');

const app = await NestFactory.create<NestExpressApplication>(AppModule.register(dataDir), {
  logger: ['error', 'warn'],
});
app.useWebSocketAdapter(new IoauthIoAdapter(app));
app.useGlobalFilters(new ErrorBodyFilter());
app.disable('x-powered-by');
app.enableShutdownHooks();
await app.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1');
process.stdout.write(`serving on ${await app.getUrl()}\n`);
