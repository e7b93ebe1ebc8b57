import type { ErrorBody } from '@ioauth/contracts';

import { startServer, type ServerProcess } from '@ioauth/test-support';

const SLOW = 60_000;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

// Every request of these cases comes from 127.0.0.1; X-Forwarded-For says which client a proxy there forwarded.
function loginFrom(server: ServerProcess, forwardedFor?: string): Promise<Response> {
  return fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: {
      authorization: basic('alice:alice-password'),
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
  });
}

async function expectRateLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect((await response.json()) as ErrorBody).toEqual({
    statusCode: 429,
    code: 'rate_limited',
    message: expect.any(String),
  });
}

describe('per-IP login limit without IOAUTH_TRUST_PROXY', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ IOAUTH_DEMO: 'true', IOAUTH_LOGIN_IP_LIMIT: '2' });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  it('counts the peer address: a client cannot escape the limit by sending another X-Forwarded-For', async () => {
    expect((await loginFrom(server, '203.0.113.1')).status).toBe(200);
    expect((await loginFrom(server, '203.0.113.2')).status).toBe(200);
    await expectRateLimited(await loginFrom(server, '203.0.113.3'));
    await expectRateLimited(await loginFrom(server));
  });
});

describe('per-IP login limit with IOAUTH_TRUST_PROXY=loopback', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({
      IOAUTH_DEMO: 'true',
      IOAUTH_LOGIN_IP_LIMIT: '2',
      IOAUTH_TRUST_PROXY: 'loopback',
    });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  it('counts each forwarded client address on its own', async () => {
    expect((await loginFrom(server, '203.0.113.1')).status).toBe(200);
    expect((await loginFrom(server, '203.0.113.1')).status).toBe(200);
    await expectRateLimited(await loginFrom(server, '203.0.113.1'));
    expect((await loginFrom(server, '203.0.113.2')).status).toBe(200);
    // Without the header, the client is the proxy's own address: a counter of its own too.
    expect((await loginFrom(server)).status).toBe(200);
  });

  it('sets Express trust proxy from the configuration, so no start-up warning', () => {
    expect(server.output()).not.toContain("'trust proxy'");
  });

  it('takes the address the trusted proxy saw, not one the client prepended', async () => {
    // The proxy appends the address it saw; entries left of it are the client's word (RFC 7239 section 5.2).
    await expectRateLimited(await loginFrom(server, '198.51.100.9, 203.0.113.1'));
    await expectRateLimited(await loginFrom(server, '198.51.100.10, 203.0.113.1'));
  });
});
