import { JwtService } from '@nestjs/jwt';

import { setup, NOW } from '../testing/auth-core.setup.js';
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

  it('refuses payloads that are not claims objects', () => {
    expect(() => ctx.jwt.sign('plain text')).toThrow(TypeError);
    expect(() => ctx.jwt.sign(Buffer.from('{}'))).toThrow(TypeError);
  });
});
