import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { ConfigError, configInputFromEnv, parseIoauthConfig } from '@ioauth/auth-core';

import { AppModule } from './app.module.js';

const logger = new Logger('ioauth');

async function main(): Promise<void> {
  // Contract: demo mode is the default of `npm start` only.
  const config = parseIoauthConfig({ demo: 'true', ...configInputFromEnv() });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    // One JSON object per line: audit events keep their fields, and log collectors need no parser.
    logger: new ConsoleLogger({ json: true, colors: false }),
  });
  // Every request body ioauth takes is a few hundred bytes; a bigger one is refused before it is parsed.
  app.useBodyParser('json', { limit: '16kb' });
  app.useBodyParser('urlencoded', { limit: '16kb', extended: false });
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
