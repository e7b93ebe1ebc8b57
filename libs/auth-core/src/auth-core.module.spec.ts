import { Test } from '@nestjs/testing';

import { IOAUTH_CONFIG, IOAUTH_EXTERNAL_VERIFIER } from './auth-core.constants.js';
import { AuthCoreModule } from './auth-core.module.js';
import { ConfigError } from './config/load-config.js';
import { ExternalTokenVerifier } from './verify-only/external-token.verifier.js';

describe('AuthCoreModule', () => {
  it('stops at forRoot, before any provider runs, on a bad option', () => {
    expect(() => AuthCoreModule.forRoot({ algorithm: 'HS256' })).toThrow(ConfigError);
    expect(() => AuthCoreModule.forRoot({ algorithm: 'HS256' })).toThrow(
      'IOAUTH_JWT_SECRET (secret) is required',
    );
  });

  it('takes its options from a factory with forRootAsync, validated before use', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRootAsync({
          useFactory: async () => ({
            algorithm: 'HS256',
            secret: 'x'.repeat(32),
            issuer: 'https://auth.example',
          }),
        }),
      ],
    }).compile();
    expect(moduleRef.get(IOAUTH_CONFIG)).toMatchObject({
      issuer: 'https://auth.example',
      accessTokenTtl: 900,
    });
    expect(moduleRef.get(IOAUTH_EXTERNAL_VERIFIER)).toBeNull();
    await moduleRef.close();

    await expect(
      Test.createTestingModule({
        imports: [AuthCoreModule.forRootAsync({ useFactory: () => ({ accessTokenTtl: -1 }) })],
      }).compile(),
    ).rejects.toThrow('IOAUTH_ACCESS_TOKEN_TTL (accessTokenTtl) must be at least 1');
  });

  it('provides the verify-only verifier when another backend is trusted', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRoot({ algorithm: 'HS256', secret: 'y'.repeat(32), verifySecret: 'z'.repeat(32) }),
      ],
    }).compile();
    expect(moduleRef.get(IOAUTH_EXTERNAL_VERIFIER)).toBeInstanceOf(ExternalTokenVerifier);
    await moduleRef.close();
  });
});
