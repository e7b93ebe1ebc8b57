import { connectSocket, refusedConnect, startServer, type ServerProcess } from '@ioauth/test-support';

import { login } from './fixtures.js';

const SLOW = 60_000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same ES256 token with a stray low bit in the last character of its signature: a lenient base64 decoder reads
 * the same 64 bytes, so the signature verified, yet the text differs from the one ioauth issued.
 */
const strayBit = (token: string) =>
  `${token.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(token.slice(-1)) | 1]}`;

describe('only the canonical base64url of an access token is accepted (RFC 7515 section 2)', () => {
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ IOAUTH_DEMO: 'true' });
    token = (await login(server.url, 'alice')).access_token;
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);

  const me = (bearer: string) =>
    fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${bearer}` } });

  it('answers GET /auth/me with 401 invalid_token for the token with a stray bit, and 200 for the token issued', async () => {
    const variant = strayBit(token);
    expect(Buffer.from(variant.split('.')[2] as string, 'base64url')).toEqual(
      Buffer.from(token.split('.')[2] as string, 'base64url'),
    );
    const refused = await me(variant);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ statusCode: 401, code: 'invalid_token' });
    expect((await me(token)).status).toBe(200);
  });

  it('answers GET /auth/me with 401 invalid_token for a padded token', async () => {
    const padded = await me(`${token}==`);
    expect(padded.status).toBe(401);
    expect(await padded.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('refuses the handshake of the token with a stray bit with token_invalid, and accepts the token issued', async () => {
    expect(await refusedConnect(`${server.url}/`, { auth: { token: strayBit(token) } })).toMatchObject({
      code: 'token_invalid',
    });
    (await connectSocket(`${server.url}/`, { auth: { token } })).close();
  });
});
