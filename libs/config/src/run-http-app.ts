import { ConsoleLogger, Logger, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';

import { OptionsError } from '@ioauth/auth-core';

import { ConfigError, configErrorOf } from './config.error.js';
import type { IoauthEnvName } from './ioauth-env.js';
import { loadIoauthOptions, type IoauthEnvOptions } from './load-ioauth-options.js';

const logger = new Logger('ioauth');

/**
 * Starts an ioauth HTTP app from the environment: validates the configuration first (a bad value prints every bad
 * variable, never a value, and exits 1), then listens on 127.0.0.1:`PORT` with JSON logs, small body limits and
 * graceful shutdown on SIGTERM.
 * @param defaults settings that apply unless the environment says otherwise (`npm start` turns demo mode on).
 * @param configure runs on the app before it listens, as to install a WebSocket adapter.
 */
export async function runHttpApp(
  root: (options: IoauthEnvOptions) => DynamicModule,
  defaults: Partial<Record<IoauthEnvName, string>> = {},
  configure: (app: NestExpressApplication) => void = () => undefined,
): Promise<void> {
  try {
    const options = loadIoauthOptions(process.env, defaults);
    const app = await NestFactory.create<NestExpressApplication>(root(options), {
      // One JSON object per line until the app's own logger takes over (start-up lines are buffered for it).
      logger: new ConsoleLogger({ json: true, colors: false }),
      bufferLogs: true,
    });
    // The pino logger of ObservabilityModule, which every ioauth app mounts.
    app.useLogger(app.get(PinoLogger));
    // Every request body ioauth takes is a few hundred bytes; a bigger one is refused before it is parsed.
    app.useBodyParser('json', { limit: '16kb' });
    app.useBodyParser('urlencoded', { limit: '16kb', extended: false });
    // `request.ip`, which the per-IP login limit counts, is the peer address unless IOAUTH_TRUST_PROXY names the
    // peer as a proxy allowed to set X-Forwarded-For (OWASP ASVS V2.2.1: a client must not pick its own address).
    app.set('trust proxy', options.http.trustProxy);
    // Express names itself in X-Powered-By on every response, which tells an attacker only which exploits to try
    // (OWASP ASVS V14.3.3: no response discloses the components behind it).
    app.disable('x-powered-by');
    app.enableShutdownHooks();
    configure(app);
    await app.listen(options.port, '127.0.0.1');
    logger.log(`serving on ${await app.getUrl()} (JWKS at /.well-known/jwks.json)`);
  } catch (error) {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    // A module found a bad value only once it ran (an unreadable key file): named by its variable all the same.
    else if (error instanceof OptionsError) process.stderr.write(`${configErrorOf(error).message}\n`);
    else logger.error(error instanceof Error ? (error.stack ?? error.message) : 'start-up failed');
    process.exit(1);
  }
}
