import { generateKeyPairSync } from 'node:crypto';

import { createLocalJWKSet, jwtVerify } from 'jose';

import { isAuthError } from '../auth.error.js';
import { KeyStore } from '../keys/key-store.js';
import { forge, NOW, refusal, setup } from '../testing/auth-core.setup.js';
import { hasUrlSafeSignature, NON_CANONICAL_ENCODINGS } from '../testing/non-canonical-encodings.js';

const grant = { sub: 'alice', sid: 'session-1', scope: ['chat:read', 'chat:write'], roles: ['member'] };
const HS_SECRET = 'a-test-secret-of-at-least-thirty-two-bytes!';

describe('TokenService', () => {
  describe.each([
    ['ES256', {}],
    ['RS256', { algorithm: 'RS256' }],
    ['HS256', { algorithm: 'HS256', secret: HS_SECRET }],
  ] as const)('with %s', (alg, input) => {
    let ctx: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      ctx = await setup(input);
    });
    afterAll(() => ctx.close());

    it('mints an RFC 9068 access token that verifies to the same claims', () => {
      const { token, claims } = ctx.tokens.issueAccessToken(grant);
      const [headerSegment] = token.split('.');
      expect(JSON.parse(Buffer.from(headerSegment as string, 'base64url').toString())).toEqual({
        alg,
        typ: 'at+jwt',
        kid: ctx.keys.signingKey().kid,
      });
      expect(claims).toEqual({
        iss: 'ioauth',
        aud: 'ioauth',
        sub: 'alice',
        iat: NOW,
        nbf: NOW,
        exp: NOW + 900,
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        sid: 'session-1',
        scope: 'chat:read chat:write',
        roles: ['member'],
      });
      expect(ctx.tokens.verifyAccessToken(token)).toEqual(claims);
    });

    it('gives every token its own jti', () => {
      const first = ctx.tokens.issueAccessToken(grant).claims.jti;
      expect(ctx.tokens.issueAccessToken(grant).claims.jti).not.toBe(first);
    });

    it('refuses its token one second after exp plus the clock tolerance, and accepts it within', async () => {
      const { token } = ctx.tokens.issueAccessToken(grant, 60);
      ctx.clock.advance(60 + ctx.config.clockTolerance - 1);
      expect(ctx.tokens.verifyAccessToken(token).sub).toBe('alice');
      ctx.clock.advance(1);
      expect(await refusal(() => ctx.tokens.verifyAccessToken(token))).toMatchObject({
        code: 'token_expired',
      });
      ctx.clock.seconds = NOW;
    });
  });

  describe("the application's own claims", () => {
    let ctx: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      ctx = await setup({ algorithm: 'HS256', secret: HS_SECRET });
    });
    afterAll(() => ctx.close());

    it('mints them beside the registered claims, and verification returns them', () => {
      const { token } = ctx.tokens.issueAccessToken({ ...grant, claims: { tenant: 'acme', plan: ['pro'] } });
      expect(ctx.tokens.verifyAccessToken(token)).toMatchObject({
        sub: 'alice',
        tenant: 'acme',
        plan: ['pro'],
      });
    });

    it.each(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid', 'typ', 'scope', 'roles'])(
      "refuses one named %s rather than let it replace ioauth's",
      (name) => {
        expect(() =>
          ctx.tokens.issueAccessToken({ ...grant, claims: { tenant: 'acme', [name]: 'x' } }),
        ).toThrow(`the registered claim ${name} cannot be set`);
      },
    );
  });

  it('mints tokens that a plain jose verifier accepts against the published JWKS', async () => {
    const ctx = await setup();
    try {
      const { token } = ctx.tokens.issueAccessToken(grant);
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(ctx.keys.toJwks()), {
        issuer: 'ioauth',
        audience: 'ioauth',
        typ: 'at+jwt',
        currentDate: new Date(NOW * 1000),
      });
      expect(payload.sub).toBe('alice');
      expect(protectedHeader.kid).toBe(ctx.keys.signingKey().kid);
    } finally {
      await ctx.close();
    }
  });

  describe('key rotation', () => {
    let ctx: Awaited<ReturnType<typeof setup>>;
    beforeEach(async () => {
      ctx = await setup({ accessTokenTtl: 600, clockTolerance: 5 });
    });
    afterEach(() => ctx.close());

    it('signs with the new key and still verifies a token of the retired key until its expiry', async () => {
      const old = ctx.tokens.issueAccessToken(grant);
      const oldKid = ctx.keys.signingKey().kid;
      const fresh = await ctx.keys.rotate();
      expect(fresh.kid).not.toBe(oldKid);
      const next = ctx.tokens.issueAccessToken(grant);
      expect(JSON.parse(Buffer.from(next.token.split('.')[0] as string, 'base64url').toString()).kid).toBe(
        fresh.kid,
      );
      expect(ctx.tokens.verifyAccessToken(old.token).sub).toBe('alice');
      expect(ctx.keys.toJwks().keys.map((key) => key.kid)).toEqual([fresh.kid, oldKid]);
      ctx.clock.advance(604);
      expect(ctx.tokens.verifyAccessToken(old.token).sub).toBe('alice');
    });

    it('refuses a token of a removed key, and drops the key from the JWKS', async () => {
      const old = ctx.tokens.issueAccessToken(grant, 60);
      await ctx.keys.rotate();
      ctx.clock.advance(605);
      expect(await refusal(() => ctx.tokens.verifyAccessToken(old.token))).toMatchObject({
        code: 'token_invalid',
        message: 'token signing key is unknown',
      });
      expect(ctx.keys.toJwks().keys).toHaveLength(1);
    });

    it('refuses at once a token of a key another process rotated in, and accepts it after the reload it caused', async () => {
      const other = await KeyStore.create({ config: ctx.config, clock: ctx.clock });
      try {
        const fresh = await other.rotate();
        const token = forge(
          { alg: 'ES256', typ: 'at+jwt', kid: fresh.kid },
          ctx.tokens.issueAccessToken(grant).claims,
          { alg: 'ES256', privateKey: fresh.privateKey },
        );
        // Synchronous: verification never waits on storage.
        expect(() => ctx.tokens.verifyAccessToken(token)).toThrow(
          expect.objectContaining({ code: 'token_invalid', message: 'token signing key is unknown' }),
        );
        const deadline = Date.now() + 2_000;
        while (!ctx.keys.verificationKey(fresh.kid) && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 5));
        expect(ctx.tokens.verifyAccessToken(token).sub).toBe('alice');
        expect(ctx.keys.signingKey().kid).toBe(fresh.kid);
      } finally {
        await other.close();
      }
    });

    it('keeps the retired key after a restart from the same data folder', async () => {
      const old = ctx.tokens.issueAccessToken(grant);
      await ctx.keys.rotate();
      const restarted = await setup({ dataDir: ctx.dataDir, accessTokenTtl: 600 });
      try {
        expect(restarted.tokens.verifyAccessToken(old.token).sub).toBe('alice');
        expect(restarted.keys.signingKey().kid).toBe(ctx.keys.signingKey().kid);
      } finally {
        await restarted.moduleRef.close();
      }
    });
  });

  describe('hostile tokens', () => {
    let ctx: Awaited<ReturnType<typeof setup>>;
    let valid: { token: string; header: Record<string, unknown>; claims: Record<string, unknown> };
    const signed = (header: Record<string, unknown>, payload: unknown) =>
      forge(header, payload, { alg: 'ES256', privateKey: ctx.keys.signingKey().privateKey });

    beforeAll(async () => {
      ctx = await setup();
      const { token, claims } = ctx.tokens.issueAccessToken(grant);
      valid = {
        token,
        header: { alg: 'ES256', typ: 'at+jwt', kid: ctx.keys.signingKey().kid },
        claims: { ...claims },
      };
    });
    afterAll(() => ctx.close());

    const segments = () => valid.token.split('.') as [string, string, string];
    const publicPem = () => ctx.keys.signingKey().publicKey.export({ type: 'spki', format: 'pem' }) as string;

    const cases: [string, () => string, string][] = [
      [
        'with alg none',
        () =>
          `${signed({ ...valid.header, alg: 'none' }, valid.claims)
            .split('.')
            .slice(0, 2)
            .join('.')}.`,
        'token_invalid',
      ],
      [
        'with alg none and a signature',
        () => signed({ ...valid.header, alg: 'none' }, valid.claims),
        'token_invalid',
      ],
      [
        'signed HS256 with the public key PEM as secret (algorithm confusion)',
        () => forge({ ...valid.header, alg: 'HS256' }, valid.claims, { alg: 'HS256', secret: publicPem() }),
        'token_invalid',
      ],
      [
        're-signed with a guessed secret',
        () => forge({ ...valid.header, alg: 'HS256' }, valid.claims, { alg: 'HS256', secret: 'secret' }),
        'token_invalid',
      ],
      [
        'signed by another ES256 key under our kid',
        () =>
          forge(valid.header, valid.claims, {
            alg: 'ES256',
            privateKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey,
          }),
        'token_invalid',
      ],
      ['with its signature stripped', () => `${segments()[0]}.${segments()[1]}.`, 'token_invalid'],
      [
        'with a tampered payload',
        () =>
          `${segments()[0]}.${Buffer.from(JSON.stringify({ ...valid.claims, sub: 'admin' })).toString('base64url')}.${segments()[2]}`,
        'token_invalid',
      ],
      [
        'with an unknown kid',
        () => signed({ ...valid.header, kid: 'no-such-key' }, valid.claims),
        'token_invalid',
      ],
      ['with no kid', () => signed({ alg: 'ES256', typ: 'at+jwt' }, valid.claims), 'token_invalid'],
      [
        'with a path traversal kid',
        () => signed({ ...valid.header, kid: '../../../../etc/passwd' }, valid.claims),
        'token_invalid',
      ],
      [
        'with an SQL kid',
        () => signed({ ...valid.header, kid: "x' UNION SELECT 'secret' --" }, valid.claims),
        'token_invalid',
      ],
      ['with a numeric kid', () => signed({ ...valid.header, kid: 7 }, valid.claims), 'token_invalid'],
      [
        'with jku pointing elsewhere',
        () => signed({ ...valid.header, jku: 'https://evil.example/jwks.json' }, valid.claims),
        'token_invalid',
      ],
      [
        'with x5u pointing elsewhere',
        () => signed({ ...valid.header, x5u: 'https://evil.example/cert.pem' }, valid.claims),
        'token_invalid',
      ],
      [
        'with an embedded jwk',
        () => {
          const attacker = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
          const jwk = attacker.publicKey.export({ format: 'jwk' });
          return forge({ ...valid.header, jwk }, valid.claims, {
            alg: 'ES256',
            privateKey: attacker.privateKey,
          });
        },
        'token_invalid',
      ],
      ['with an x5c chain', () => signed({ ...valid.header, x5c: ['MIIB'] }, valid.claims), 'token_invalid'],
      [
        'with exp as a string',
        () => signed(valid.header, { ...valid.claims, exp: String(NOW + 900) }),
        'token_invalid',
      ],
      [
        'with nbf as a string',
        () => signed(valid.header, { ...valid.claims, nbf: String(NOW) }),
        'token_invalid',
      ],
      ['with no exp', () => signed(valid.header, { ...valid.claims, exp: undefined }), 'token_invalid'],
      [
        'with exp in the past beyond the tolerance',
        () => signed(valid.header, { ...valid.claims, exp: NOW - 6 }),
        'token_expired',
      ],
      [
        'with nbf in the future',
        () => signed(valid.header, { ...valid.claims, nbf: NOW + 60 }),
        'token_invalid',
      ],
      [
        'for another issuer',
        () => signed(valid.header, { ...valid.claims, iss: 'someone-else' }),
        'token_invalid',
      ],
      [
        'for another audience',
        () => signed(valid.header, { ...valid.claims, aud: 'other' }),
        'token_invalid',
      ],
      [
        'with no typ',
        () => signed({ alg: 'ES256', kid: valid.header['kid'] }, valid.claims),
        'token_invalid',
      ],
      [
        'typed JWT where at+jwt is required',
        () => signed({ ...valid.header, typ: 'JWT' }, valid.claims),
        'token_invalid',
      ],
      [
        'with an unknown crit header',
        () => signed({ ...valid.header, crit: ['exp-v2'], 'exp-v2': 1 }, valid.claims),
        'token_invalid',
      ],
      [
        'of 100 KiB',
        () => signed(valid.header, { ...valid.claims, pad: 'x'.repeat(100 * 1024) }),
        'token_invalid',
      ],
      [
        'with non-base64url segments',
        () => `${segments()[0]}.${segments()[1]}!*.${segments()[2]}`,
        'token_invalid',
      ],
      ['with a non-base64url header', () => `ey!J.${segments()[1]}.${segments()[2]}`, 'token_invalid'],
      [
        'with a header that is not JSON',
        () => `${Buffer.from('{alg').toString('base64url')}.${segments()[1]}.${segments()[2]}`,
        'token_invalid',
      ],
      ['of two segments', () => `${segments()[0]}.${segments()[1]}`, 'token_invalid'],
      ['of four segments', () => `${valid.token}.${segments()[2]}`, 'token_invalid'],
      ['with an array payload', () => signed(valid.header, [valid.claims]), 'token_invalid'],
      ['with a number payload', () => signed(valid.header, 42), 'token_invalid'],
      [
        'with a payload that is not JSON',
        () => signed(valid.header, Buffer.from('{"sub":').toString('base64url')),
        'token_invalid',
      ],
      [
        'with roles that are not a list',
        () => signed(valid.header, { ...valid.claims, roles: 'admin' }),
        'token_invalid',
      ],
      ['with no sid', () => signed(valid.header, { ...valid.claims, sid: undefined }), 'token_invalid'],
      ['that is empty', () => '', 'token_invalid'],
      ['that is only dots', () => '..', 'token_invalid'],
    ];

    it.each(cases)('refuses a token %s', async (_case, make, code) => {
      const error = await refusal(() => ctx.tokens.verifyAccessToken(make()));
      expect(isAuthError(error)).toBe(true);
      expect(error).toMatchObject({ code });
    });

    it.each([
      ['an exp of 1e400 (Infinity)', 'exp', '1e400'],
      ['an exp in milliseconds', 'exp', `${(NOW + 900) * 1000}`],
      ['an iat of 1e400 (Infinity)', 'iat', '1e400'],
      ['an iat in milliseconds', 'iat', `${NOW * 1000}`],
      ['an iat in the future beyond the clock tolerance', 'iat', `${NOW + 6}`],
      ['an nbf of -1e400 (-Infinity)', 'nbf', '-1e400'],
    ])('refuses a token with %s (RFC 7519 section 2, NumericDate)', async (_case, name, value) => {
      // Written as JSON text: JSON.stringify cannot write 1e400.
      const json = JSON.stringify(valid.claims).replace(new RegExp(`"${name}":\\d+`), `"${name}":${value}`);
      const token = signed(valid.header, Buffer.from(json).toString('base64url'));
      expect(await refusal(() => ctx.tokens.verifyAccessToken(token))).toMatchObject({
        code: 'token_invalid',
      });
    });

    it.each(NON_CANONICAL_ENCODINGS)(
      'refuses its own token written with %s, before any signature work',
      async (_case, change) => {
        let { token } = ctx.tokens.issueAccessToken(grant);
        while (!hasUrlSafeSignature(token)) token = ctx.tokens.issueAccessToken(grant).token;
        const variant = change(token);
        expect(variant).not.toBe(token);
        expect(await refusal(() => ctx.tokens.verifyAccessToken(variant))).toMatchObject({
          code: 'token_invalid',
          message: 'token is not canonical base64url',
        });
        expect(ctx.tokens.verifyAccessToken(token).sub).toBe('alice');
      },
    );

    it('refuses a value that is not a string', async () => {
      expect(await refusal(() => ctx.tokens.verifyAccessToken(42 as unknown as string))).toMatchObject({
        code: 'token_invalid',
      });
    });

    it.each([
      [
        'typed application/at+jwt',
        () => signed({ ...valid.header, typ: 'application/at+jwt' }, valid.claims),
      ],
      [
        'with exp in the past within the tolerance',
        () => signed(valid.header, { ...valid.claims, exp: NOW - 4 }),
      ],
      [
        'with nbf in the future within the tolerance',
        () => signed(valid.header, { ...valid.claims, nbf: NOW + 4 }),
      ],
    ])('accepts a token %s', (_case, make) => {
      expect(ctx.tokens.verifyAccessToken(make()).sub).toBe('alice');
    });

    it('never puts the token in an error message', async () => {
      const token = signed(valid.header, { ...valid.claims, iss: 'someone-else' });
      const error = (await refusal(() => ctx.tokens.verifyAccessToken(token))) as Error;
      expect(error.message).not.toContain(token.slice(0, 20));
      expect(error.message).not.toContain('someone-else');
    });
  });
});
