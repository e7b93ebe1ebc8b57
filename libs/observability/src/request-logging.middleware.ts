import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, type NestMiddleware } from '@nestjs/common';
import { pinoHttp, type HttpLogger } from 'pino-http';

import { PinoLoggerService } from './pino-logger.service.js';

// The request line only: bodies and query strings are never logged (a legacy ?token= would land there).
const pathOf = (url: string | undefined) => (typeof url === 'string' ? url.split('?')[0] : undefined);
// Express rewrites `url` below a mount path; `originalUrl` is the one the client sent.
const requestPath = (req: IncomingMessage & { originalUrl?: string }) => pathOf(req.originalUrl ?? req.url);

/** One line per request with its method, path, status and time, through the app's pino logger. */
@Injectable()
export class RequestLoggingMiddleware implements NestMiddleware {
  private readonly handle: HttpLogger;

  constructor(logger: PinoLoggerService) {
    this.handle = pinoHttp({
      logger: logger.pino,
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: pathOf(req.url),
        }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: (req, res, time) =>
        `${req.method} ${requestPath(req)} ${res.statusCode} ${time} ms`,
      customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode} failed`,
    });
  }

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    this.handle(req, res, next);
  }
}
