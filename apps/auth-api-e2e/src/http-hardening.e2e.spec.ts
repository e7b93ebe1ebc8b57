import { startServer, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

// Every app's responses, successes and errors alike, from Express, Nest, the demo page and socket.io.
const requests: Record<string, [string, RequestInit][]> = {
  server: [
    ['/auth/login', { method: 'POST', headers: { authorization: basic('alice:alice-password') } }],
    ['/auth/login', { method: 'POST', headers: { authorization: basic('alice:wrong') } }],
    ['/health/live', {}],
    ['/', {}],
    ['/nope', {}],
    ['/socket.io/?EIO=4&transport=polling', {}],
  ],
  'auth-api': [
    ['/auth/login', { method: 'POST', headers: { authorization: basic('nobody:wrong') } }],
    ['/health/live', {}],
    ['/nope', {}],
  ],
  gateway: [
    ['/health/live', {}],
    ['/nope', {}],
    ['/socket.io/?EIO=4&transport=polling', {}],
  ],
};

describe.each(Object.keys(requests))('responses of the %s app', (app) => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(app === 'server' ? { IOAUTH_DEMO: 'true' } : {}, app);
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  it('never name the framework behind them (no X-Powered-By)', async () => {
    for (const [path, init] of requests[app] ?? []) {
      const response = await fetch(`${server.url}${path}`, init);
      await response.arrayBuffer();
      expect([path, response.status > 0, response.headers.get('x-powered-by')]).toEqual([path, true, null]);
    }
  });
});
