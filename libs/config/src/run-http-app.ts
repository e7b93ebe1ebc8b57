import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { DynamicModule, INestApplication, InjectionToken } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';

import { OptionsError } from '@ioauth/auth-core';
import { BasicStrategy } from '@ioauth/auth-http';
import { createPinoLogger, PinoLoggerService } from '@ioauth/observability';
import { IOAUTH_SQL } from '@ioauth/store';

import { mountApiDocs, type ApiDocsOptions } from './api-docs.js';
import { ConfigError, configErrorOf } from './config.error.js';
import type { IoauthEnvName } from './ioauth-env.js';
import { loadIoauthOptions, type IoauthEnvOptions } from './load-ioauth-options.js';
import { startupBanner } from './startup-banner.js';

const CONTEXT = 'ioauth';

/** How an app of this repository differs from the others when it starts. */
export interface RunHttpAppOptions {
  /** Settings that apply unless the environment says otherwise. */
  defaults?: Partial<Record<IoauthEnvName, string>>;
  /** Runs on the app before it listens, as to install a WebSocket adapter. */
  configure?: (app: NestExpressApplication) => void;
  /** What `/docs`, `/openapi.json` and `/asyncapi.json` describe when `IOAUTH_API_DOCS=true`. */
  apiDocs?: ApiDocsOptions;
}

/**
 * Starts an ioauth HTTP app from the environment: validates the configuration first (a bad value prints every bad
 * variable, never a value, and exits 1), then listens on `HOST`:`PORT` with pino logs (JSON lines, or lines for
 * people on a terminal, at `LOG_LEVEL`), small body limits and graceful shutdown on SIGTERM, and logs what it serves.
 */
export async function runHttpApp(
  root: (options: IoauthEnvOptions) => DynamicModule,
  { defaults = {}, configure = () => undefined, apiDocs = {} }: RunHttpAppOptions = {},
): Promise<void> {
  let pino: Logger | undefined;
  try {
    const options = loadIoauthOptions(process.env, defaults);
    // One logger from the first line: Nest's start-up lines, the request lines and the audit log share its format.
    pino = createPinoLogger({ level: options.observability.logLevel });
    const logger = new PinoLoggerService(pino);
    const app = await NestFactory.create<NestExpressApplication>(
      root({ ...options, observability: { ...options.observability, logger: pino } }),
      { logger },
    );
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
    if (options.apiDocs) mountApiDocs(app, apiDocs);
    await app.listen(options.port, options.host);
    const server = app.getHttpServer() as Server;
    const banner = startupBanner(options, {
      url: await app.getUrl(),
      port: (server.address() as AddressInfo).port,
      httpApi: provides(app, BasicStrategy),
      // socket.io (engine.io) takes the server's WebSocket upgrades once a gateway is mounted.
      socketIo: server.listeners('upgrade').length > 0,
      store: provides(app, IOAUTH_SQL),
    });
    for (const line of banner) logger.log(line, CONTEXT);
  } catch (error) {
    // A module found a bad value only once it ran (an unreadable key file): named by its variable all the same.
    const invalid = error instanceof OptionsError ? configErrorOf(error) : error;
    // Why the app stops is written whatever LOG_LEVEL says, and at the default level when LOG_LEVEL is the bad value.
    const logger = new PinoLoggerService(pino?.isLevelEnabled('fatal') ? pino : createPinoLogger());
    if (invalid instanceof ConfigError) logger.fatal(invalid.message, CONTEXT);
    else
      logger.fatal(
        invalid instanceof Error ? (invalid.stack ?? invalid.message) : 'start-up failed',
        CONTEXT,
      );
    process.exit(1);
  }
}

// Whether a module of the app provides `token`, asked of Nest's module graph: `app.get` of an absent provider
// would end the process through Nest's exception zone rather than throw.
function provides(app: INestApplication, token: InjectionToken): boolean {
  return [...app.get(ModulesContainer).values()].some((module) => module.providers.has(token));
}
