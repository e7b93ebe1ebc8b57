import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

import { asyncApiDocument, type AsyncApiOptions } from '@ioauth/gateway';

/** What `mountApiDocs` serves. */
export interface ApiDocsOptions {
  /** `info.title` of the OpenAPI document; default `ioauth`. */
  title?: string;
  /** `info.version` of both documents, the app's version; default `0.1.0`. */
  version?: string;
  /** The app's namespaces and socket events, for `/asyncapi.json`; absent for an app without a gateway. */
  asyncApi?: AsyncApiOptions;
}

/**
 * Swagger UI loads its own scripts and stylesheet from /docs and sets inline styles; nothing else. Its own policy,
 * since the demo page's (no inline style) would break it, and no wider than it needs (OWASP ASVS V14.4.3).
 */
const DOCS_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function docsHeaders(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Content-Security-Policy', DOCS_CSP);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/**
 * Serves the API documents: Swagger UI at `/docs`, the OpenAPI 3 document of every controller the app mounts (ioauth's
 * and the app's own) at `/openapi.json`, and, with `asyncApi`, the AsyncAPI 3.0 document of its socket events at
 * `/asyncapi.json`. Call it before `app.listen`. The documents list every route and error code: serve them only
 * where that is wanted (`IOAUTH_API_DOCS=true`).
 */
export function mountApiDocs(app: NestExpressApplication, options: ApiDocsOptions = {}): void {
  const version = options.version ?? '0.1.0';
  const config = new DocumentBuilder()
    .setTitle(options.title ?? 'ioauth')
    .setVersion(version)
    .setDescription(
      'One login for HTTP and socket.io. Every error body is `{statusCode, code, message}` with a stable `code`; ' +
        'the wire contract is docs/contract.md.',
    )
    .addBasicAuth()
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  app.use('/docs', docsHeaders);
  // Built on the first request, once every module has registered its routes.
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'ioauth API',
    // Swagger UI would otherwise send the document to validator.swagger.io for its badge.
    swaggerOptions: { validatorUrl: 'none' },
  });
  if (options.asyncApi) {
    const asyncApi = JSON.stringify(asyncApiDocument({ version, ...options.asyncApi }));
    app
      .getHttpAdapter()
      .getInstance()
      .get('/asyncapi.json', (_request, response) => {
        response.type('application/json').send(asyncApi);
      });
  }
}
