import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Controller, Get, Logger, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { DEMO_PAGE_CSP, DemoPageModule } from './demo-page.module.js';

@Controller('auth')
class ApiController {
  @Get('me')
  me() {
    return { sub: 'alice' };
  }
}

@Module({ controllers: [ApiController] })
class ApiModule {}

describe('DemoPageModule', () => {
  let root: string;
  let app: INestApplication | undefined;

  const start = async (pageRoot: string) => {
    // NestFactory, not Test.createTestingModule: ServeStaticModule picks its loader from the HTTP adapter, which a
    // testing module compiles without (it would serve nothing).
    app = await NestFactory.create(
      { module: ApiModule, imports: [DemoPageModule.forRoot(pageRoot)] },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  };

  beforeEach(async () => {
    root = `${await mkdtemp(join(tmpdir(), 'ioauth-demo-page-'))}/`;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await rm(root, { recursive: true, force: true });
  });

  it('serves the built page at / under the Content-Security-Policy, after the API’s routes', async () => {
    await writeFile(join(root, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(root, 'main.js'), 'export {};');
    const base = await start(root);

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>demo</title>');
    expect(page.headers.get('content-security-policy')).toBe(DEMO_PAGE_CSP);
    const script = await fetch(`${base}/main.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await (await fetch(`${base}/auth/me`)).json()).toEqual({ sub: 'alice' });
    // Only `/` falls back to the page: an unknown route stays a 404.
    expect((await fetch(`${base}/auth/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('lets the page connect to its own origin only, websockets included (no ws: or wss: to any host)', async () => {
    await writeFile(join(root, 'index.html'), '<!doctype html><title>demo</title>');
    const base = await start(root);

    const directives = (await fetch(`${base}/`)).headers.get('content-security-policy')?.split('; ') ?? [];
    expect(directives).toContain("connect-src 'self'");
    expect(directives).toContain("default-src 'self'");
  });

  it('starts without a build, saying how to make one', async () => {
    const warn = import.meta.jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const base = await start(join(root, 'missing/'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('npm run build:demo'));
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/auth/me`)).status).toBe(200);
  });
});
