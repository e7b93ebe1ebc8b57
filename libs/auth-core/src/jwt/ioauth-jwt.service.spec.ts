import { JwtService } from '@nestjs/jwt';

import { refusal, setup, NOW } from '../testing/auth-core.setup.js';
import { IoauthJwtService } from './ioauth-jwt.service.js';

describe('IoauthJwtService', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(() => ctx.close());

  it('is what enterprise code gets when it injects JwtService', () => {
    expect(ctx.moduleRef.get(JwtService)).toBeInstanceOf(IoauthJwtService);
    expect(ctx.moduleRef.get(JwtService)).toBe(ctx.jwt);
  });

  it("signs with ioauth's key, issuer, audience and lifetime", () => {
    const jwt = ctx.moduleRef.get(JwtService);
    const token = jwt.sign({ sub: 'alice', purpose: 'invite' });
    expect(jwt.decode(token, { complete: true })).toMatchObject({
      header: { alg: 'ES256', typ: 'JWT', kid: ctx.keys.signingKey().kid },
      payload: { sub: 'alice', purpose: 'invite', iss: 'ioauth', aud: 'ioauth', iat: NOW, exp: NOW + 900 },
    });
    expect(jwt.verify(token)).toMatchObject({ sub: 'alice', purpose: 'invite' });
  });

  it('keeps other token types apart from access tokens (RFC 8725 section 3.11)', () => {
    const token = ctx.jwt.sign({ sub: 'alice', sid: 's', jti: 'j', scope: '', roles: [], nbf: NOW });
    expect(() => ctx.tokens.verifyAccessToken(token)).toThrow(
      expect.objectContaining({ code: 'token_invalid' }),
    );
    expect(ctx.jwt.verify(token, { typ: 'JWT' })).toMatchObject({ sub: 'alice' });
  });

  it('signs and verifies asynchronously by the same rules', async () => {
    const token = await ctx.jwt.signAsync({ sub: 'bob' }, { expiresIn: 30 });
    await expect(ctx.jwt.verifyAsync(token)).resolves.toMatchObject({ sub: 'bob', exp: NOW + 30 });
    ctx.clock.advance(36);
    await expect(ctx.jwt.verifyAsync(token)).rejects.toMatchObject({ code: 'token_expired' });
    ctx.clock.seconds = NOW;
  });

  it.each([['secret'], ['privateKey'], ['algorithm'], ['keyid'], ['header']])(
    'refuses a sign option that would bypass the key store: %s',
    (option) => {
      expect(() => ctx.jwt.sign({ sub: 'alice' }, { [option]: 'x' })).toThrow(TypeError);
    },
  );

  it.each([
    ['secret'],
    ['publicKey'],
    ['algorithms'],
    ['ignoreExpiration'],
    ['clockTimestamp'],
    ['audience'],
  ])('refuses a verify option that would loosen the rules: %s', (option) => {
    const token = ctx.jwt.sign({ sub: 'alice' });
    expect(() => ctx.jwt.verify(token, { [option]: true } as never)).toThrow(TypeError);
  });

  it('narrows with subject and jwtid', () => {
    const token = ctx.jwt.sign({ sub: 'alice', jti: 'one' });
    expect(ctx.jwt.verify(token, { subject: 'alice', jwtid: 'one' })).toMatchObject({ sub: 'alice' });
    expect(() => ctx.jwt.verify(token, { subject: 'bob' })).toThrow(
      expect.objectContaining({ code: 'token_invalid' }),
    );
  });

  describe('a token verified lately', () => {
    afterEach(() => {
      ctx.clock.seconds = NOW;
      import.meta.jest.restoreAllMocks();
    });

    // Changes one character of a segment into another base64url character that keeps it canonical.
    const tamper = (token: string, segment: number) => {
      const parts = token.split('.');
      const part = parts[segment] as string;
      parts[segment] = `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
      return parts.join('.');
    };

    it('is not checked against its signature again, and is still refused once expired', async () => {
      const signatures = import.meta.jest.spyOn(JwtService.prototype, 'verify');
      const token = ctx.jwt.sign({ sub: 'alice' }, { expiresIn: 60 });
      expect(ctx.jwt.verify(token)).toMatchObject({ sub: 'alice' });
      ctx.clock.advance(60 + ctx.config.clockTolerance - 1);
      expect(ctx.jwt.verify(token)).toMatchObject({ sub: 'alice' });
      expect(signatures).toHaveBeenCalledTimes(1);
      ctx.clock.advance(1);
      expect(await refusal(() => ctx.jwt.verify(token))).toMatchObject({ code: 'token_expired' });
    });

    it('gives each caller claims of its own, which another caller cannot change', () => {
      const token = ctx.jwt.sign({ sub: 'alice', roles: ['member'] });
      const first = ctx.jwt.verify<{ roles: string[]; admin?: boolean }>(token);
      first.roles.push('admin');
      first.admin = true;
      expect(ctx.jwt.verify(token)).toEqual(expect.objectContaining({ sub: 'alice', roles: ['member'] }));
      expect(ctx.jwt.verify(token)).not.toHaveProperty('admin');
    });

    it('lends nothing to a token that differs from it in its claims or its signature', () => {
      const token = ctx.jwt.sign({ sub: 'alice' });
      ctx.jwt.verify(token);
      for (const forged of [tamper(token, 1), tamper(token, 2)]) {
        expect(() => ctx.jwt.verify(forged)).toThrow(expect.objectContaining({ code: 'token_invalid' }));
      }
    });

    it('is checked for its type, its subject and its id on every use', () => {
      const token = ctx.jwt.sign({ sub: 'alice', jti: 'one' });
      ctx.jwt.verify(token);
      expect(() => ctx.jwt.verify(token, { typ: 'at+jwt' })).toThrow(
        expect.objectContaining({ code: 'token_invalid', message: 'token type is not accepted' }),
      );
      expect(() => ctx.jwt.verify(token, { subject: 'bob' })).toThrow(
        expect.objectContaining({ code: 'token_invalid' }),
      );
      expect(() => ctx.jwt.verify(token, { jwtid: 'two' })).toThrow(
        expect.objectContaining({ code: 'token_invalid' }),
      );
    });

    it('is refused as issued in the future when the clock steps back', () => {
      const token = ctx.jwt.sign({ sub: 'alice' });
      ctx.jwt.verify(token);
      ctx.clock.advance(-(ctx.config.clockTolerance + 1));
      expect(() => ctx.jwt.verify(token)).toThrow(
        expect.objectContaining({ code: 'token_invalid', message: 'token is issued in the future' }),
      );
    });

    it('is refused once its key no longer verifies', async () => {
      const token = ctx.jwt.sign({ sub: 'alice' }, { expiresIn: 3600 });
      ctx.jwt.verify(token);
      await ctx.keys.rotate();
      expect(ctx.jwt.verify(token)).toMatchObject({ sub: 'alice' });
      // The old key verifies one access-token lifetime plus the tolerance after the rotation, then is gone.
      ctx.clock.advance(ctx.config.accessTokenTtl + ctx.config.clockTolerance);
      expect(await refusal(() => ctx.jwt.verify(token))).toMatchObject({
        code: 'token_invalid',
        message: 'token signing key is unknown',
      });
    });
  });

  it('refuses payloads that are not claims objects', () => {
    expect(() => ctx.jwt.sign('plain text')).toThrow(TypeError);
    expect(() => ctx.jwt.sign(Buffer.from('{}'))).toThrow(TypeError);
  });
});
