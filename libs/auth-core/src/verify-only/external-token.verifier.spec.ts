import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';

import { isAuthError } from '../auth.error.js';
import type { AuthCoreOptions } from '../auth-core.options.js';
import { parseAuthCoreOptions } from '../auth-core.options.schema.js';
import { OptionsError } from '../options/options.error.js';
import { FrozenClock, forge, NOW, refusal } from '../testing/auth-core.setup.js';
import { hasUrlSafeSignature, NON_CANONICAL_ENCODINGS } from '../testing/non-canonical-encodings.js';
import { ExternalTokenVerifier, type JwksTimings } from './external-token.verifier.js';

const SECRET = 'the-php-backend-shared-secret-0123456789';
const INVALID = { code: 'token_invalid' };
const PHP_HEADER = { alg: 'HS256', typ: 'JWT' };
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const next = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const clock = new FrozenClock();
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'alice',
  scope: 'chat:read chat:write',
  roles: ['member'],
  iat: NOW,
  exp: NOW + 900,
  ...extra,
});
const php = (payload: unknown, header: Record<string, unknown> = PHP_HEADER, secret = SECRET) =>
  forge(header, payload, { alg: 'HS256', secret });
const jwk = (publicKey: KeyObject, kid: string, alg: string) => ({
  ...publicKey.export({ format: 'jwk' }),
  kid,
  alg,
  use: 'sig',
});
const es256 = (kid: string, payload: unknown = claims(), privateKey = ec.privateKey) =>
  forge({ alg: 'ES256', kid }, payload, { alg: 'ES256', privateKey });
const pem = (publicKey: KeyObject) => publicKey.export({ type: 'spki', format: 'pem' }) as string;
// A payload segment from JSON text, for numbers JSON.stringify cannot write (1e400).
const rawPayload = (json: string) => Buffer.from(json).toString('base64url');

async function verifier(input: AuthCoreOptions, timings?: JwksTimings): Promise<ExternalTokenVerifier> {
  const created = await ExternalTokenVerifier.create(parseAuthCoreOptions(input), clock, timings);
  if (!created) throw new Error('expected verify-only mode to be configured');
  return created;
}

describe('ExternalTokenVerifier', () => {
  it('is not created when verify-only mode is not configured', async () => {
    expect(
      await ExternalTokenVerifier.create(parseAuthCoreOptions({ verifyIssuer: 'php-app' }), clock),
    ).toBeNull();
  });

  describe('with a shared HS256 secret', () => {
    let shared: ExternalTokenVerifier;
    beforeAll(async () => {
      shared = await verifier({ verifySecret: SECRET });
    });

    it.each([
      ['typed JWT', PHP_HEADER],
      ['with no typ', { alg: 'HS256' }],
    ])('verifies a token minted with hash_hmac as PHP does, %s', async (_case, header) => {
      const token = php(claims({ sid: 'php-session', jti: 'id-1' }), header);
      expect(await shared.verify(token)).toEqual({
        sub: 'alice',
        scope: 'chat:read chat:write',
        roles: ['member'],
        exp: NOW + 900,
        sid: 'php-session',
        jti: 'id-1',
        claims: claims({ sid: 'php-session', jti: 'id-1' }),
      });
    });

    it('maps an scp array to the scope and drops roles that are not text', async () => {
      const identity = await shared.verify(
        php(claims({ scope: undefined, scp: ['a', 7, 'b'], roles: ['x', {}] })),
      );
      expect(identity).toMatchObject({ scope: 'a b', roles: ['x'] });
    });

    it('turns a numeric PHP user id into a string subject', async () => {
      expect((await shared.verify(php(claims({ sub: 42 })))).sub).toBe('42');
    });

    it.each([
      ['missing', claims({ sub: undefined })],
      ['empty', claims({ sub: '' })],
      ['not text or a number', claims({ sub: { id: 1 } })],
    ])('refuses a token whose subject is %s', async (_case, payload) => {
      await expect(shared.verify(php(payload))).rejects.toMatchObject(INVALID);
    });

    it('reads the subject from a claim path such as user.username', async () => {
      const nested = await verifier({ verifySecret: SECRET, subjectClaim: 'user.username' });
      const identity = await nested.verify(php(claims({ sub: 'ignored', user: { username: 'bob' } })));
      expect(identity.sub).toBe('bob');
      await expect(nested.verify(php(claims()))).rejects.toMatchObject(INVALID);
    });

    it.each(['constructor.name', '__proto__.constructor.name'])(
      'reads nothing from the prototype through the path %s',
      async (subjectClaim) => {
        const prototypal = await verifier({ verifySecret: SECRET, subjectClaim });
        await expect(prototypal.verify(php(claims()))).rejects.toMatchObject(INVALID);
      },
    );

    describe('exp policy', () => {
      it('refuses a PHP token without exp by default', async () => {
        await expect(shared.verify(php(claims({ exp: undefined })))).rejects.toMatchObject({
          code: 'token_invalid',
          message: 'token has no expiry',
        });
      });

      it('accepts a token without exp when requireExp is off, and reports no exp', async () => {
        const lenient = await verifier({ verifySecret: SECRET, requireExp: false });
        const identity = await lenient.verify(php(claims({ exp: undefined })));
        expect(identity.sub).toBe('alice');
        expect(identity).not.toHaveProperty('exp');
      });

      it('accepts a token expired within the clock tolerance and refuses one beyond it', async () => {
        expect((await shared.verify(php(claims({ exp: NOW - 4 })))).exp).toBe(NOW - 4);
        await expect(shared.verify(php(claims({ exp: NOW - 6 })))).rejects.toMatchObject({
          code: 'token_expired',
        });
      });

      it('refuses an exp that is not a number', async () => {
        await expect(shared.verify(php(claims({ exp: String(NOW + 900) })))).rejects.toMatchObject(INVALID);
      });
    });

    describe('time claims (RFC 7519 section 2, NumericDate)', () => {
      it.each([
        ['an exp of 1e400 (Infinity)', `{"sub":"alice","exp":1e400}`],
        ['an exp in milliseconds', `{"sub":"alice","exp":${(NOW + 900) * 1000}}`],
        ['an exp after year 9999', `{"sub":"alice","exp":253402300800}`],
        ['an iat of 1e400 (Infinity)', `{"sub":"alice","exp":${NOW + 900},"iat":1e400}`],
        ['an iat in milliseconds', `{"sub":"alice","exp":${NOW + 900},"iat":${NOW * 1000}}`],
        [
          'an iat in the future beyond the clock tolerance',
          `{"sub":"alice","exp":${NOW + 900},"iat":${NOW + 6}}`,
        ],
        ['an iat that is not a number', `{"sub":"alice","exp":${NOW + 900},"iat":"${NOW}"}`],
        ['an nbf of -1e400 (-Infinity)', `{"sub":"alice","exp":${NOW + 900},"nbf":-1e400}`],
        ['a negative nbf', `{"sub":"alice","exp":${NOW + 900},"nbf":-1}`],
      ])('refuses a token with %s', async (_case, json) => {
        await expect(shared.verify(php(rawPayload(json)))).rejects.toMatchObject(INVALID);
      });

      it.each([
        ['a fractional exp', claims({ exp: NOW + 900.5 })],
        ['an iat in the future within the clock tolerance', claims({ iat: NOW + 4 })],
        ['an exp at the end of year 9999', claims({ exp: 253_402_300_799 })],
      ])('accepts a token with %s', async (_case, payload) => {
        expect((await shared.verify(php(payload))).sub).toBe('alice');
      });
    });

    describe('explicit typing (RFC 8725 section 3.11)', () => {
      it.each([
        'dpop+jwt',
        'application/dpop+jwt',
        'logout+jwt',
        'secevent+jwt',
        'refresh+jwt',
        'JOSE',
        'id+jwt',
      ])('refuses a token of type %s', async (typ) => {
        await expect(shared.verify(php(claims(), { alg: 'HS256', typ }))).rejects.toMatchObject({
          code: 'token_invalid',
          message: 'token type is not accepted',
        });
      });

      it.each(['JWT', 'jwt', 'application/jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt'])(
        'accepts a token of type %s',
        async (typ) => {
          expect((await shared.verify(php(claims(), { alg: 'HS256', typ }))).sub).toBe('alice');
        },
      );
    });

    describe('iss and aud', () => {
      let strict: ExternalTokenVerifier;
      beforeAll(async () => {
        strict = await verifier({ verifySecret: SECRET, verifyIssuer: 'php-app', verifyAudience: 'chat' });
      });

      it('accepts a token for the configured issuer and audience', async () => {
        expect((await strict.verify(php(claims({ iss: 'php-app', aud: ['chat', 'other'] })))).sub).toBe(
          'alice',
        );
      });

      it.each([
        ['a wrong issuer', { iss: 'evil-app', aud: 'chat' }],
        ['no issuer', { aud: 'chat' }],
        ['a wrong audience', { iss: 'php-app', aud: 'billing' }],
        ['no audience', { iss: 'php-app' }],
      ])('refuses a token with %s', async (_case, extra) => {
        await expect(strict.verify(php(claims(extra)))).rejects.toMatchObject(INVALID);
      });
    });

    describe('algorithm pinning', () => {
      it.each([
        [
          'an RS256 token',
          () => forge({ alg: 'RS256', typ: 'JWT' }, claims(), { alg: 'RS256', privateKey: rsa.privateKey }),
        ],
        [
          'an ES256 token',
          () => forge({ alg: 'ES256', typ: 'JWT' }, claims(), { alg: 'ES256', privateKey: ec.privateKey }),
        ],
        ['an alg none token', () => php(claims(), { alg: 'none', typ: 'JWT' })],
        [
          'an unsigned alg none token',
          () => `${php(claims(), { alg: 'none' }).split('.').slice(0, 2).join('.')}.`,
        ],
        [
          'an HS256 token of another secret',
          () => php(claims(), PHP_HEADER, 'another-secret-of-at-least-32-bytes-long'),
        ],
      ])('refuses %s', async (_case, make) => {
        const error = await refusal(() => shared.verify(make()));
        expect(isAuthError(error)).toBe(true);
        expect(error).toMatchObject(INVALID);
      });
    });
  });

  describe('with a JWKS file', () => {
    let dir: string;
    let fromFile: ExternalTokenVerifier;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ioauth-verify-'));
      const file = join(dir, 'jwks.json');
      await writeFile(
        file,
        JSON.stringify({ keys: [jwk(ec.publicKey, 'ec-1', 'ES256'), jwk(rsa.publicKey, 'rsa-1', 'RS256')] }),
      );
      fromFile = await verifier({ verifyJwksFile: file });
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('verifies ES256 and RS256 tokens of its keys', async () => {
      const rs = forge({ alg: 'RS256', kid: 'rsa-1' }, claims({ sub: 'bob' }), {
        alg: 'RS256',
        privateKey: rsa.privateKey,
      });
      expect((await fromFile.verify(es256('ec-1'))).sub).toBe('alice');
      expect((await fromFile.verify(rs)).sub).toBe('bob');
    });

    it.each([
      ['with an unknown kid', () => es256('ec-2')],
      ['signed by another key under a known kid', () => es256('ec-1', claims(), next.privateKey)],
      [
        'signed HS256 with the EC public key PEM (algorithm confusion)',
        () => php(claims(), { alg: 'HS256', kid: 'ec-1' }, pem(ec.publicKey)),
      ],
      [
        'signed HS256 with the RSA public key PEM (algorithm confusion)',
        () => php(claims(), { alg: 'HS256', kid: 'rsa-1' }, pem(rsa.publicKey)),
      ],
    ])('refuses a token %s', async (_case, make) => {
      await expect(fromFile.verify(make())).rejects.toMatchObject(INVALID);
    });

    it.each(NON_CANONICAL_ENCODINGS)(
      'refuses a token written with %s, before any signature work',
      async (_case, change) => {
        let token = es256('ec-1');
        while (!hasUrlSafeSignature(token)) token = es256('ec-1');
        expect((await fromFile.verify(token)).sub).toBe('alice');
        const variant = change(token);
        expect(variant).not.toBe(token);
        expect(Buffer.from(variant.split('.')[2] as string, 'base64')).toEqual(
          Buffer.from(token.split('.')[2] as string, 'base64url'),
        );
        await expect(fromFile.verify(variant)).rejects.toMatchObject({
          code: 'token_invalid',
          message: 'token is not canonical base64url',
        });
      },
    );

    it('refuses to start on an unreadable file', async () => {
      const error = await refusal(() => verifier({ verifyJwksFile: join(dir, 'missing.json') }));
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as Error).message).toContain('verifyJwksFile');
    });

    it.each([
      ['text that is not JSON', 'top-secret-marker'],
      ['JSON with no keys list', '{"keys":"top-secret-marker"}'],
      ['a keys list of non-objects', '{"keys":["top-secret-marker"]}'],
      ['a key that does not import', '{"keys":[{"kty":"EC","crv":"P-256","x":"top-secret-marker"}]}'],
      [
        'a private key',
        JSON.stringify({
          keys: [
            {
              ...generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'jwk' }),
              kid: 'top-secret-marker',
            },
          ],
        }),
      ],
    ])('refuses to start on a file holding %s, without quoting it', async (_case, contents) => {
      const file = join(dir, `${_case.replace(/\W+/g, '-')}.json`);
      await writeFile(file, contents);
      const error = await refusal(() => verifier({ verifyJwksFile: file }));
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as Error).message).toContain('verifyJwksFile');
      expect((error as Error).message).not.toContain('top-secret-marker');
    });
  });

  describe('with a JWKS URL', () => {
    const first = jwk(ec.publicKey, 'ec-1', 'ES256');
    const timings: JwksTimings = { timeoutMs: 2_000, cooldownMs: 60_000, maxAgeMs: 600_000 };
    let server: Server;
    let url: string;
    let requests: number;
    let served: { keys: object[] };

    async function serve(
      handler: RequestListener = (_req, res) => res.end(JSON.stringify(served)),
    ): Promise<void> {
      server = createServer((req, res) => {
        requests += 1;
        handler(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    }

    beforeEach(() => {
      requests = 0;
      served = { keys: [first] };
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('fetches the key set once, and refetches on an unknown kid at most once per cooldown', async () => {
      await serve();
      const remote = await verifier({ verifyJwksUrl: url }, timings);
      expect((await remote.verify(es256('ec-1'))).sub).toBe('alice');
      expect(requests).toBe(1);
      expect((await remote.verify(es256('ec-1', claims({ sub: 'bob' })))).sub).toBe('bob');
      expect(requests).toBe(1);

      await expect(remote.verify(es256('unknown-1'))).rejects.toMatchObject(INVALID);
      expect(requests).toBeLessThanOrEqual(2);
      const afterUnknown = requests;
      await expect(remote.verify(es256('unknown-2'))).rejects.toMatchObject(INVALID);
      expect(requests).toBe(afterUnknown);
    });

    it('picks up a key the other backend rotated in once the cooldown is over', async () => {
      await serve();
      const remote = await verifier({ verifyJwksUrl: url }, { ...timings, cooldownMs: 0 });
      expect((await remote.verify(es256('ec-1'))).sub).toBe('alice');
      served = { keys: [jwk(next.publicKey, 'ec-2', 'ES256'), first] };
      expect((await remote.verify(es256('ec-2', claims({ sub: 'carol' }), next.privateKey))).sub).toBe(
        'carol',
      );
      expect(requests).toBe(2);
    });

    it('refuses an HS256 token signed with the public key PEM (algorithm confusion) without fetching', async () => {
      await serve();
      const remote = await verifier({ verifyJwksUrl: url }, timings);
      const token = php(claims(), { alg: 'HS256', kid: 'ec-1' }, pem(ec.publicKey));
      await expect(remote.verify(token)).rejects.toMatchObject(INVALID);
      expect(requests).toBe(0);
    });

    it('gives unavailable when the key set server never answers', async () => {
      await serve(() => undefined);
      const remote = await verifier({ verifyJwksUrl: url }, { ...timings, timeoutMs: 200 });
      await expect(remote.verify(es256('ec-1'))).rejects.toMatchObject({ code: 'unavailable' });
      expect(requests).toBe(1);
    });

    it.each<[string, RequestListener]>([
      [
        'answers 500',
        (_req, res) => {
          res.statusCode = 500;
          res.end();
        },
      ],
      ['answers text that is not JSON', (_req, res) => res.end('<html>maintenance</html>')],
      ['answers JSON that is not a JWKS', (_req, res) => res.end('{"keys":"none"}')],
      ['drops the connection', (req) => req.socket.destroy()],
    ])(
      'requests a key set server that %s at most once per cooldown, and gives unavailable meanwhile',
      async (_case, failure) => {
        await serve((req, res) => (requests > 2 ? res.end(JSON.stringify(served)) : failure(req, res)));
        const own = new FrozenClock();
        const remote = await ExternalTokenVerifier.create(
          parseAuthCoreOptions({ verifyJwksUrl: url }),
          own,
          timings,
        );
        const burst = async () => {
          for (let i = 0; i < 10; i += 1)
            await expect(remote?.verify(es256('ec-1'))).rejects.toMatchObject({ code: 'unavailable' });
          const together = await Promise.allSettled(
            Array.from({ length: 10 }, () => remote?.verify(es256('ec-1'))),
          );
          expect(together.map((outcome) => outcome.status === 'rejected' && outcome.reason)).toEqual(
            Array.from({ length: 10 }, () => expect.objectContaining({ code: 'unavailable' })),
          );
        };
        await burst();
        expect(requests).toBe(1);
        own.advance(timings.cooldownMs / 1000 - 1);
        await burst();
        expect(requests).toBe(1);
        own.advance(1);
        await burst();
        expect(requests).toBe(2);

        // Once the server answers again, the first verification after the cooldown gets the keys.
        own.advance(timings.cooldownMs / 1000);
        expect((await remote?.verify(es256('ec-1')))?.sub).toBe('alice');
        expect(requests).toBe(3);
      },
    );
  });

  describe('start-up warnings', () => {
    let warned: unknown[][];
    beforeEach(() => {
      warned = [];
      import.meta.jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => {
        warned.push(args);
      });
    });
    afterEach(() => import.meta.jest.restoreAllMocks());

    it.each([
      ['neither iss nor aud', {}, 'IOAUTH_VERIFY_ISSUER and IOAUTH_VERIFY_AUDIENCE unset: '],
      ['no aud', { verifyIssuer: 'php-app' }, 'IOAUTH_VERIFY_AUDIENCE unset: '],
      ['no iss', { verifyAudience: 'chat' }, 'IOAUTH_VERIFY_ISSUER unset: '],
    ])(
      'warns once when verify-only mode checks %s (RFC 8725 sections 3.8 and 3.9)',
      async (_case, input, text) => {
        await verifier({ verifySecret: SECRET, ...input });
        expect(warned).toEqual([[expect.stringMatching(new RegExp(`^${text}`))]]);
        expect(JSON.stringify(warned)).not.toContain(SECRET);
      },
    );

    it('says nothing when iss and aud are both required', async () => {
      await verifier({ verifySecret: SECRET, verifyIssuer: 'php-app', verifyAudience: 'chat' });
      expect(warned).toEqual([]);
    });

    it('says nothing when verify-only mode is off', async () => {
      await ExternalTokenVerifier.create(parseAuthCoreOptions({}), clock);
      expect(warned).toEqual([]);
    });
  });

  describe('malformed input', () => {
    let shared: ExternalTokenVerifier;
    beforeAll(async () => {
      shared = await verifier({ verifySecret: SECRET });
    });

    it.each([
      ['larger than maxTokenBytes', () => php(claims({ pad: 'x'.repeat(8192) }))],
      ['of two segments', () => php(claims()).split('.').slice(0, 2).join('.')],
      ['with a header that is not JSON', () => `${Buffer.from('{alg').toString('base64url')}.e30.c2ln`],
      ['with a payload that is not base64url', () => php(claims()).replace('.', '.!*')],
      ['that is plain text', () => 'Bearer not-a-token-at-all'],
    ])('refuses a token %s without quoting it', async (_case, make) => {
      const token = make();
      const error = (await refusal(() => shared.verify(token))) as Error;
      expect(error).toMatchObject(INVALID);
      expect(error.message).not.toContain(token.slice(0, 16));
      expect(error.message).not.toContain(token.slice(-16));
    });
  });
});
