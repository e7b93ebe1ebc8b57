import type { ErrorBody } from '@ioauth/contracts';

import { startServer, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const DOCUMENTS = ['/openapi.json', '/docs', '/asyncapi.json'];

describe('API documents (IOAUTH_API_DOCS=true)', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer({ IOAUTH_API_DOCS: 'true' });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  it('GET /openapi.json describes the HTTP API', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/auth/login',
        '/auth/token',
        '/auth/revoke',
        '/auth/logout',
        '/auth/me',
        '/auth/sessions',
        '/auth/sessions/{sid}',
        '/auth/password',
        '/admin/users',
        '/admin/users/{username}',
        '/admin/users/{username}/sessions',
      ]),
    );
  });

  it('GET /docs serves Swagger UI and its assets', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${server.url}/docs/swagger-ui-bundle.js`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([
      200,
      expect.stringMatching(/javascript/),
    ]);
    await bundle.body?.cancel();
  });

  it("GET /asyncapi.json describes ioauth's socket events and the demo's", async () => {
    const response = await fetch(`${server.url}/asyncapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      asyncapi: string;
      components: { messages: Record<string, { name: string }> };
    };
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.values(document.components.messages).map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'auth:refresh',
        'auth:expiring',
        'auth:error',
        'chat:send',
        'chat:message',
        'sessions:kick',
      ]),
    );
  });
});

describe('API documents, not enabled', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer();
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  it.each(DOCUMENTS)('GET %s is the contract 404', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    expect((await response.json()) as ErrorBody).toEqual({
      statusCode: 404,
      code: 'not_found',
      message: 'no such route',
    });
  });
});
