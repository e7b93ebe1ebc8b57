import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { WhoAmI } from '@ioauth/contracts';
import { connectSocket, refusedConnect, startServer, type ServerProcess } from '@ioauth/testing';

import { mint } from './fixtures.js';

const SLOW = 60_000;
const PHP_SECRET = 'the-php-frontend-shares-this-hs256-secret';

// The token the PHP frontend of the original case mints: HS256 with hash_hmac, the username under `user`.
const PHP_MINT = `
$b64 = fn($data) => rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
$claims = ['user' => ['username' => getenv('PHP_USER')], 'iat' => time()];
if (getenv('PHP_TTL') !== '') $claims['exp'] = time() + (int) getenv('PHP_TTL');
$input = $b64(json_encode(['typ' => 'JWT', 'alg' => 'HS256'])) . '.' . $b64(json_encode($claims));
echo $input . '.' . $b64(hash_hmac('sha256', $input, getenv('PHP_SECRET'), true));
`;

async function phpToken(user: string, ttl: number | undefined): Promise<string> {
  const { stdout } = await promisify(execFile)('php', ['-r', PHP_MINT], {
    env: { ...process.env, PHP_SECRET, PHP_USER: user, PHP_TTL: ttl === undefined ? '' : `${ttl}` },
  });
  return stdout.trim();
}

describe('gateway in verify-only mode, trusting tokens minted by PHP', () => {
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
    const socket = await connectSocket(`${gateway.url}/`, { auth: { token: await phpToken('alice', 300) } });
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

  it('serves liveness beside the gateway', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});
