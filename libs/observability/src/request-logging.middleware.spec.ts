import { Body, Controller, Global, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthEvents } from '@ioauth/auth-core';

import { ObservabilityModule } from './observability.module.js';
import { createPinoLogger } from './pino-logger.js';
import { PinoLoggerService } from './pino-logger.service.js';

const PASSWORD = 'hunter2-correct-horse';
const REFRESH_TOKEN = 'rt.eyJzZWNyZXQiOnRydWV9.sig';
const BASIC = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;

@Controller('auth')
class FakeAuthController {
  @Post('login')
  @HttpCode(200)
  login(@Body() _body: unknown) {
    return { access_token: 'at.issued.token' };
  }

  @Post('token')
  token(): never {
    throw new Error('store down');
  }
}

// AuthCoreModule provides the event stream in an app.
@Global()
@Module({ providers: [AuthEvents], exports: [AuthEvents] })
class AuthEventsModule {}

async function setup() {
  let text = '';
  // The logger an app shares with ObservabilityModule, as runHttpApp does.
  const logger = createPinoLogger({
    pretty: false,
    destination: { write: (line: string) => (text += line) },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AuthEventsModule, ObservabilityModule.forRoot({ logger })],
    controllers: [FakeAuthController],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: new PinoLoggerService(logger) });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const requests = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['req'] !== undefined);
  return { app, url, text: () => text, requests };
}

describe('RequestLoggingMiddleware', () => {
  let context: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    context = await setup();
  });
  afterEach(() => context.app.close());

  it('logs a login with Basic credentials and secrets in the body and query without any of them', async () => {
    const response = await fetch(`${context.url}/auth/login?refresh_token=${REFRESH_TOKEN}`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json', cookie: `rt=${REFRESH_TOKEN}` },
      body: JSON.stringify({ password: PASSWORD, refresh_token: REFRESH_TOKEN }),
    });
    expect(response.status).toBe(200);
    await response.text();
    await until(() => context.requests().length === 1);
    expect(context.requests()[0]).toMatchObject({
      level: 30,
      req: { method: 'POST', path: '/auth/login' },
      res: { statusCode: 200 },
      msg: expect.stringMatching(/^POST \/auth\/login 200 \d+ ms$/),
    });
    for (const secret of [PASSWORD, REFRESH_TOKEN, BASIC.slice(6), 'at.issued.token'])
      expect(context.text()).not.toContain(secret);
  });

  it('logs a failed request at error level', async () => {
    const response = await fetch(`${context.url}/auth/token`, { method: 'POST' });
    expect(response.status).toBe(500);
    await response.text();
    await until(() => context.requests().length === 1);
    expect(context.requests()[0]).toMatchObject({
      level: 50,
      req: { path: '/auth/token' },
      res: { statusCode: 500 },
    });
  });

  it('logs unknown routes too', async () => {
    expect((await fetch(`${context.url}/nope?token=abc`)).status).toBe(404);
    await until(() => context.requests().length === 1);
    expect(context.requests()[0]).toMatchObject({
      req: { method: 'GET', path: '/nope' },
      res: { statusCode: 404 },
    });
  });
});

// pino-http writes once the response has finished, which the client may see first.
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}
