import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { validate } from '@readme/openapi-parser';

import { AuthHttpModule, ErrorBodyFilter } from '@ioauth/auth-http';
import { IOAUTH_CLIENT_EVENT_DOCS, IOAUTH_SERVER_EVENT_DOCS } from '@ioauth/contracts';
import { DEMO_CLIENT_EVENT_DOCS, DEMO_SERVER_EVENT_DOCS } from '@ioauth/demo-contracts';
import { ObservabilityModule } from '@ioauth/observability';
import { SessionsModule } from '@ioauth/sessions';

import { mountApiDocs, type ApiDocsOptions } from './api-docs.js';
import { coreModules } from './core-modules.js';
import { loadIoauthOptions } from './load-ioauth-options.js';

interface Operation {
  security?: Record<string, unknown>[];
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<
    string,
    { headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }
  >;
}
interface Schema {
  required?: string[];
  properties?: Record<string, { enum?: unknown[] }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

// The HTTP API of an ioauth app, as the auth API app mounts it.
async function start(
  dataDir: string,
  docs?: ApiDocsOptions,
): Promise<{ app: NestExpressApplication; base: string }> {
  const options = loadIoauthOptions({ IOAUTH_DATA_DIR: dataDir, IOAUTH_METRICS: 'true' });
  const imports: DynamicModule[] = [
    ...coreModules(options, { store: true }),
    ObservabilityModule.forRoot(options.observability),
    SessionsModule.forRoot(options.sessions),
    AuthHttpModule.forRoot(options.http),
  ];
  const moduleRef = await Test.createTestingModule({
    imports,
    providers: [{ provide: APP_FILTER, useClass: ErrorBodyFilter }],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  if (docs) mountApiDocs(app, docs);
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}

const TOKEN_401 = ['invalid_token', 'token_expired', 'token_revoked'];
const ADMIN = { 401: TOKEN_401, 403: ['forbidden'], 503: ['service_unavailable'] };

const errorCodes = (operation: Operation | undefined) =>
  Object.fromEntries(
    Object.entries(operation?.responses ?? {})
      .filter(([status]) => Number(status) >= 400)
      .map(([status, response]) => [
        status,
        response.content?.['application/json']?.schema.properties?.code?.enum,
      ]),
  );

describe('mountApiDocs', () => {
  let dataDir: string;
  let app: NestExpressApplication;
  let base: string;
  let openApi: OpenApi;
  let asyncApi: { asyncapi: string; components: { messages: Record<string, { name: string }> } };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-api-docs-'));
    ({ app, base } = await start(dataDir, {
      asyncApi: {
        namespaces: ['/public', '/admin'],
        serverEvents: DEMO_SERVER_EVENT_DOCS,
        clientEvents: DEMO_CLIENT_EVENT_DOCS,
      },
    }));
    // Fetched once: the parsers keep the event loop busy for seconds, past the server's keep-alive timeout.
    openApi = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApi;
    asyncApi = (await (await fetch(`${base}/asyncapi.json`)).json()) as typeof asyncApi;
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('GET /openapi.json', () => {
    it('is a valid OpenAPI document', async () => {
      const result = await validate(structuredClone(openApi) as never);
      expect(result.valid ? [] : result.errors.map(({ message }) => message)).toEqual([]);
    });

    it('lists every route of the contract that the app mounts', () => {
      const routes = Object.entries(openApi.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(routes.sort()).toEqual(
        [
          'POST /auth/login',
          'POST /auth/token',
          'POST /auth/revoke',
          'POST /auth/logout',
          'GET /auth/me',
          'GET /auth/sessions',
          'DELETE /auth/sessions',
          'DELETE /auth/sessions/{sid}',
          'POST /auth/password',
          'GET /admin/users',
          'POST /admin/users',
          'GET /admin/users/{username}',
          'PATCH /admin/users/{username}',
          'DELETE /admin/users/{username}',
          'GET /admin/users/{username}/sessions',
          'DELETE /admin/users/{username}/sessions',
          'GET /.well-known/jwks.json',
          'GET /health/live',
          'GET /health/ready',
          'GET /metrics',
        ].sort(),
      );
    });

    it.each([
      [
        'post',
        '/auth/login',
        {
          400: ['invalid_request'],
          401: ['invalid_credentials'],
          429: ['rate_limited'],
          503: ['service_unavailable'],
        },
      ],
      [
        'post',
        '/auth/token',
        {
          400: ['invalid_request'],
          401: ['invalid_token', 'token_revoked', 'refresh_token_reused'],
          403: ['forbidden'],
          429: ['rate_limited'],
          503: ['service_unavailable'],
        },
      ],
      [
        'post',
        '/auth/revoke',
        {
          400: ['invalid_request'],
          403: ['forbidden'],
          429: ['rate_limited'],
          503: ['service_unavailable'],
        },
      ],
      [
        'post',
        '/auth/logout',
        { 401: ['invalid_token', 'token_expired', 'token_revoked'], 503: ['service_unavailable'] },
      ],
      [
        'get',
        '/auth/me',
        { 401: ['invalid_token', 'token_expired', 'token_revoked'], 503: ['service_unavailable'] },
      ],
      ['get', '/auth/sessions', { 401: TOKEN_401, 503: ['service_unavailable'] }],
      ['delete', '/auth/sessions', { 401: TOKEN_401, 503: ['service_unavailable'] }],
      [
        'delete',
        '/auth/sessions/{sid}',
        { 401: TOKEN_401, 404: ['not_found'], 503: ['service_unavailable'] },
      ],
      [
        'post',
        '/auth/password',
        {
          400: ['invalid_request', 'weak_password'],
          401: ['invalid_credentials', ...TOKEN_401],
          429: ['rate_limited'],
          503: ['service_unavailable'],
        },
      ],
      ['get', '/admin/users', ADMIN],
      ['post', '/admin/users', { ...ADMIN, 400: ['invalid_request', 'weak_password'], 409: ['conflict'] }],
      ['get', '/admin/users/{username}', { ...ADMIN, 400: ['invalid_request'], 404: ['not_found'] }],
      [
        'patch',
        '/admin/users/{username}',
        { ...ADMIN, 400: ['invalid_request', 'weak_password'], 404: ['not_found'], 409: ['conflict'] },
      ],
      [
        'delete',
        '/admin/users/{username}',
        { ...ADMIN, 400: ['invalid_request'], 404: ['not_found'], 409: ['conflict'] },
      ],
      ['get', '/admin/users/{username}/sessions', { ...ADMIN, 400: ['invalid_request'], 404: ['not_found'] }],
      [
        'delete',
        '/admin/users/{username}/sessions',
        { ...ADMIN, 400: ['invalid_request'], 404: ['not_found'] },
      ],
      ['get', '/.well-known/jwks.json', { 503: ['service_unavailable'] }],
      ['get', '/health/ready', { 503: ['service_unavailable'] }],
    ])('gives %s %s its error codes by status', (method, path, codes) => {
      expect(errorCodes(openApi.paths[path]?.[method])).toEqual(codes);
    });

    it('tells a client when to retry a rate-limited request, and how to authenticate after a 401', () => {
      for (const path of ['/auth/login', '/auth/token', '/auth/revoke'])
        expect(openApi.paths[path]?.['post']?.responses['429']?.headers).toHaveProperty(['Retry-After']);
      expect(openApi.paths['/auth/login']?.['post']?.responses['401']?.headers).toHaveProperty([
        'WWW-Authenticate',
      ]);
    });

    it('declares Basic for login and a Bearer JWT for the routes that need an access token', () => {
      expect(openApi.components.securitySchemes).toEqual({
        basic: { type: 'http', scheme: 'basic' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      });
      expect(openApi.paths['/auth/login']?.['post']?.security).toEqual([{ basic: [] }]);
      expect(openApi.paths['/auth/logout']?.['post']?.security).toEqual([{ bearer: [] }]);
      expect(openApi.paths['/auth/me']?.['get']?.security).toEqual([{ bearer: [] }]);
      for (const [path, method] of [
        ['/auth/sessions', 'get'],
        ['/auth/sessions/{sid}', 'delete'],
        ['/auth/password', 'post'],
        ['/admin/users', 'post'],
        ['/admin/users/{username}/sessions', 'delete'],
      ] as const)
        expect([path, openApi.paths[path]?.[method]?.security]).toEqual([path, [{ bearer: [] }]]);
    });

    it('documents the local admin header, optional, on the admin routes only', () => {
      const header = (path: string, method: string) =>
        (
          openApi.paths[path]?.[method] as Operation & { parameters?: { name: string; in: string }[] }
        )?.parameters?.find(({ name }) => name === 'x-ioauth-local-admin');
      expect(header('/admin/users', 'get')).toMatchObject({ in: 'header', required: false });
      expect(header('/admin/users/{username}/sessions', 'delete')).toMatchObject({ in: 'header' });
      expect(header('/auth/sessions', 'get')).toBeUndefined();
    });

    it('describes the request bodies, the token response and the body of /auth/me', () => {
      const json = (operation: Operation | undefined, status: string) =>
        operation?.responses[status]?.content?.['application/json']?.schema.required;
      const body = (path: string, method: string) =>
        openApi.paths[path]?.[method]?.requestBody?.content['application/json']?.schema.required;
      // The refresh token may come in the cookie instead (IOAUTH_REFRESH_COOKIE).
      expect(body('/auth/token', 'post')).toEqual(['grant_type']);
      expect(body('/auth/password', 'post')).toEqual(['current_password', 'new_password']);
      expect(body('/admin/users', 'post')).toEqual(['username', 'password']);
      expect(Object.keys(openApi.paths['/auth/revoke']?.['post']?.requestBody?.content ?? {})).toEqual([
        'application/json',
        'application/x-www-form-urlencoded',
      ]);
      for (const path of ['/auth/login', '/auth/token'])
        expect(json(openApi.paths[path]?.['post'], '200')).toEqual([
          'access_token',
          'token_type',
          'expires_in',
          'refresh_token',
          'scope',
        ]);
      expect(json(openApi.paths['/auth/me']?.['get'], '200')).toEqual([
        'sub',
        'scope',
        'roles',
        'exp',
        'sid',
      ]);
      expect(json(openApi.paths['/auth/sessions']?.['get'], '200')).toEqual(['sessions']);
      expect(json(openApi.paths['/admin/users']?.['get'], '200')).toEqual(['users']);
      expect(json(openApi.paths['/admin/users']?.['post'], '201')).toEqual([
        'username',
        'scopes',
        'roles',
        'disabled',
        'created_at',
        'updated_at',
      ]);
    });
  });

  describe('GET /docs', () => {
    it('serves Swagger UI with every asset it loads, under a policy of its own', async () => {
      const page = await fetch(`${base}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url as string);
      expect(assets).toEqual(
        expect.arrayContaining([
          './docs/swagger-ui.css',
          './docs/swagger-ui-bundle.js',
          './docs/swagger-ui-init.js',
        ]),
      );
      for (const asset of assets.filter((url) => url.startsWith('./'))) {
        const response = await fetch(new URL(asset, `${base}/docs`));
        expect([asset, response.status]).toEqual([asset, 200]);
      }
      const init = await (await fetch(`${base}/docs/swagger-ui-init.js`)).text();
      expect(init).toContain('"/auth/login"');
    });
  });

  describe('GET /asyncapi.json', () => {
    it('is a valid AsyncAPI 3.0 document', async () => {
      const errors = (await new Parser().validate(structuredClone(asyncApi))).filter(
        ({ severity }) => severity === DiagnosticSeverity.Error,
      );
      expect(errors.map(({ message }) => message)).toEqual([]);
    });

    it("names every event of ioauth's maps and the app's", async () => {
      const names = Object.values(asyncApi.components.messages).map(({ name }) => name);
      expect(names).toEqual(
        expect.arrayContaining([
          'connect_error',
          ...Object.keys(IOAUTH_SERVER_EVENT_DOCS),
          ...Object.keys(IOAUTH_CLIENT_EVENT_DOCS),
          ...Object.keys(DEMO_SERVER_EVENT_DOCS),
          ...Object.keys(DEMO_CLIENT_EVENT_DOCS),
        ]),
      );
    });
  });

  it('serves no AsyncAPI document for an app without a gateway: the contract 404', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ioauth-api-docs-'));
    const plain = await start(dir, {});
    try {
      const response = await fetch(`${plain.base}/asyncapi.json`);
      expect([response.status, await response.json()]).toEqual([
        404,
        { statusCode: 404, code: 'not_found', message: 'no such route' },
      ]);
      expect((await fetch(`${plain.base}/openapi.json`)).status).toBe(200);
    } finally {
      await plain.app.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
