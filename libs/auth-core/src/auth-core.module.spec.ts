import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { IOAUTH_CONFIG, IOAUTH_EXTERNAL_VERIFIER, IOAUTH_KEY_SET_STORAGE } from './auth-core.constants.js';
import { AuthCoreModule } from './auth-core.module.js';
import { ConfigError } from './config/load-config.js';
import { MemoryKeySetStorage } from './keys/key-set.storage.js';
import { KeyStore } from './keys/key-store.js';
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

  it('keeps managed keys in the storage another module provides, and writes no keys.json', async () => {
    const storage = new MemoryKeySetStorage();
    @Global()
    @Module({
      providers: [{ provide: IOAUTH_KEY_SET_STORAGE, useValue: storage }],
      exports: [IOAUTH_KEY_SET_STORAGE],
    })
    class DatabaseKeysModule {}
    const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-module-'));
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [AuthCoreModule.forRoot({ dataDir }), DatabaseKeysModule],
      }).compile();
      const [stored] = await storage.load();
      expect(moduleRef.get(KeyStore).signingKey().kid).toBe(stored?.kid);
      expect(await readdir(dataDir)).toEqual([]);
      await moduleRef.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
