import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ConfigError, configInputFromEnv, parseIoauthConfig } from '@ioauth/auth-core';

import { AppModule } from './app.module.js';

const logger = new Logger('ioauth');

async function main(): Promise<void> {
  // Contract: demo mode is the default of `npm start` only.
  const config = parseIoauthConfig({ demo: 'true', ...configInputFromEnv() });
  const app = await NestFactory.create(AppModule.register(config));
  app.enableShutdownHooks();
  await app.listen(config.port, '127.0.0.1');
  logger.log(`serving on ${await app.getUrl()} (JWKS at /.well-known/jwks.json)`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : 'start-up failed');
  }
  process.exit(1);
});
