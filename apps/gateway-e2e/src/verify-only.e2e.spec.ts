import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

import { SignJWT } from 'jose';

import type { WhoAmI } from '@ioauth/contracts';
import { connectSocket, refusedConnect, startServer, type ServerProcess } from '@ioauth/test-support';

import { mint } from './fixtures.js';
import { phpAvailable } from './php.js';

const SLOW = 60_000;
const PHP_SECRET = 'the-php-frontend-shares-this-hs256-secret';

// The token the PHP frontend of the original case mints: HS256 with hash_hmac, the username under `user`. PHP_TYP,
// PHP_MILLISECONDS and PHP_PAYLOAD (raw JSON text) make the tokens of a frontend that gets JWT wrong.
const PHP_MINT = `
$b64 = fn($data) => rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
$claims = ['user' => ['username' => getenv('PHP_USER')], 'iat' => time()];
if (getenv('PHP_TTL') !== '') $claims['exp'] = time() + (int) getenv('PHP_TTL');
if (getenv('PHP_MILLISECONDS') === '1') $claims['exp'] = (int) (microtime(true) * 1000) + 1000 * (int) getenv('PHP_TTL');
$payload = getenv('PHP_PAYLOAD') ?: json_encode($claims);
$input = $b64(json_encode(['typ' => getenv('PHP_TYP') ?: 'JWT', 'alg' => 'HS256'])) . '.' . $b64($payload);
echo $input . '.' . $b64(hash_hmac('sha256', $input, getenv('PHP_SECRET'), true));
`;

interface PhpMistakes {
  typ?: string;
  milliseconds?: boolean;
  payload?: string;
}

async function phpToken(user: string, ttl: number | undefined, mistakes: PhpMistakes = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('php', ['-r', PHP_MINT], {
    env: {
      ...process.env,
      PHP_SECRET,
      PHP_USER: user,
      PHP_TTL: ttl === undefined ? '' : `${ttl}`,
      PHP_TYP: mistakes.typ ?? '',
      PHP_MILLISECONDS: mistakes.milliseconds ? '1' : '',
      PHP_PAYLOAD: mistakes.payload ?? '',
    },
  });
  return stdout.trim();
}

const seconds = () => Math.floor(Date.now() / 1000);

(phpAvailable() ? describe : describe.skip)(
  'gateway in verify-only mode, trusting tokens minted by PHP',
  () => {
    let gateway: ServerProcess;

    beforeAll(async () => {
      gateway = await startServer(
        { IOAUTH_VERIFY_SECRET: PHP_SECRET, IOAUTH_SUBJECT_CLAIM: 'user.username' },
        'gateway',
      );
    }, SLOW);
    afterAll(async () => {
      await gateway?.stop();
      expect(gateway.output()).not.toContain(PHP_SECRET);
    }, SLOW);

    it('accepts a PHP token and maps user.username to the subject', async () => {
      const socket = await connectSocket(`${gateway.url}/`, {
        auth: { token: await phpToken('alice', 300) },
      });
      try {
        expect(await socket.emitWithAck('whoami')).toEqual({
          sub: 'alice',
          scope: '',
          roles: [],
          exp: expect.any(Number),
        } satisfies WhoAmI);
      } finally {
        socket.close();
      }
    });

    it('refuses a PHP token without exp by default', async () => {
      expect(
        await refusedConnect(`${gateway.url}/`, { auth: { token: await phpToken('alice', undefined) } }),
      ).toEqual({
        code: 'token_invalid',
        message: expect.any(String),
      });
    });

    it('refuses an expired PHP token with token_expired', async () => {
      expect(
        await refusedConnect(`${gateway.url}/`, { auth: { token: await phpToken('alice', -60) } }),
      ).toMatchObject({
        code: 'token_expired',
      });
    });

    it('refuses a token signed with another secret, such as an ioauth token', async () => {
      expect(await refusedConnect(`${gateway.url}/`, { auth: { token: await mint() } })).toMatchObject({
        code: 'token_invalid',
      });
    });

    it.each<[string, () => Promise<string>]>([
      ['an exp in milliseconds', () => phpToken('alice', 300, { milliseconds: true })],
      [
        'an exp of 1e400, which JSON.parse reads as Infinity',
        () =>
          phpToken('alice', 300, { payload: `{"user":{"username":"alice"},"iat":${seconds()},"exp":1e400}` }),
      ],
      [
        'an iat of 1e400',
        () =>
          phpToken('alice', 300, {
            payload: `{"user":{"username":"alice"},"iat":1e400,"exp":${seconds() + 300}}`,
          }),
      ],
      ['the type of a DPoP proof', () => phpToken('alice', 300, { typ: 'dpop+jwt' })],
      ['the type of a logout token', () => phpToken('alice', 300, { typ: 'logout+jwt' })],
    ])('refuses a PHP token with %s with token_invalid', async (_case, make) => {
      expect(await refusedConnect(`${gateway.url}/`, { auth: { token: await make() } })).toMatchObject({
        code: 'token_invalid',
      });
    });

    it('accepts a PHP token typed as an RFC 9068 access token', async () => {
      const socket = await connectSocket(`${gateway.url}/`, {
        auth: { token: await phpToken('alice', 300, { typ: 'at+jwt' }) },
      });
      socket.close();
    });

    it('warned at start-up that iss and aud are not checked', () => {
      expect(gateway.output()).toContain('IOAUTH_VERIFY_ISSUER and IOAUTH_VERIFY_AUDIENCE unset');
    });

    it('serves liveness beside the gateway', async () => {
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    });
  },
);

describe('gateway in verify-only mode, with a JWKS URL that fails', () => {
  let gateway: ServerProcess;
  let jwks: Server;
  let requests = 0;

  beforeAll(async () => {
    jwks = createServer((_req, res) => {
      requests += 1;
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    gateway = await startServer(
      {
        IOAUTH_VERIFY_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        IOAUTH_VERIFY_ISSUER: 'php-app',
        IOAUTH_VERIFY_AUDIENCE: 'chat',
      },
      'gateway',
    );
  }, SLOW);
  afterAll(async () => {
    await gateway?.stop();
    jwks?.closeAllConnections();
    await new Promise((resolve) => jwks?.close(resolve));
  }, SLOW);

  it('answers a burst of handshakes with unavailable, at the cost of one JWKS request', async () => {
    // The key set is needed before the signature of any token can be checked.
    const token = await new SignJWT({ sub: 'alice', iss: 'php-app', aud: 'chat' })
      .setProtectedHeader({ alg: 'ES256', kid: 'php-key-1' })
      .setExpirationTime('5m')
      .sign(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const refused = () => refusedConnect(`${gateway.url}/`, { auth: { token } });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i += 1) codes.push((await refused())?.code);
    codes.push(...(await Promise.all(Array.from({ length: 10 }, refused))).map((data) => data?.code));
    expect(codes).toEqual(Array.from({ length: 20 }, () => 'unavailable'));
    expect(requests).toBe(1);
  });

  it('warns of nothing when iss and aud are both required', () => {
    expect(gateway.output()).not.toContain('IOAUTH_VERIFY_ISSUER');
  });
});
