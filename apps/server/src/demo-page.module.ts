import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

import { Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';

import { appRoot } from '@ioauth/config';

/**
 * Where `npm run build:demo` (run by `npm start` and `npm run build`) puts the demo page: `dist/demo-web/` of the
 * folder the app runs from, the same from its sources and compiled.
 */
export const DEMO_PAGE_ROOT = join(appRoot(), 'dist', 'demo-web', sep);

/**
 * The page loads only its own module and stylesheet and talks to its own origin, over HTTP and WebSocket: no inline
 * script or style, no framing. `connect-src 'self'` covers the socket too: in CSP Level 3, 'self' matches ws: and
 * wss: on the page's own host and port ("Does url match expression in origin with redirect count?"), where the bare
 * `ws: wss:` it replaces let an injected script send data to any host. `form-action 'none'`: the login form is sent by script only, so a page whose script
 * failed cannot fall back to a GET that would put the password in the URL.
 */
export const DEMO_PAGE_CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

@Injectable()
class MissingDemoPageWarning implements OnApplicationBootstrap {
  onApplicationBootstrap(): void {
    new Logger('ioauth').warn(
      `no demo page at ${DEMO_PAGE_ROOT}: run \`npm run build:demo\` (npm start does) to serve it at /`,
    );
  }
}

/** Serves the demo page (apps/demo-web) at `/`; without a build the server starts anyway and says so. */
@Module({})
export class DemoPageModule {
  static forRoot(root = DEMO_PAGE_ROOT): DynamicModule {
    if (!existsSync(`${root}index.html`))
      return { module: DemoPageModule, providers: [MissingDemoPageWarning] };
    return {
      module: DemoPageModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: root,
          // Only `/` itself falls back to index.html (the module's default is every unmatched GET), so that an
          // unknown path under /auth, /health, /.well-known or /metrics still gets the contract's 404 body, and
          // socket.io, which answers /socket.io before Express, is never in the way.
          renderPath: '/',
          serveStaticOptions: {
            setHeaders: (response: Response) => {
              response.setHeader('Content-Security-Policy', DEMO_PAGE_CSP);
              response.setHeader('X-Content-Type-Options', 'nosniff');
              response.setHeader('Referrer-Policy', 'no-referrer');
            },
          },
        }),
      ],
    };
  }
}
