import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Test } from '@nestjs/testing';

import {
  IOAUTH_EXTERNAL_VERIFIER,
  IOAUTH_RATE_LIMIT_STORE,
  IOAUTH_REVOCATION_BUS,
} from './auth-core.constants.js';
import { AuthCoreModule } from './auth-core.module.js';
import { AUTH_CORE_SETTINGS } from './auth-core.settings.js';
import { systemClock } from './clock.js';
import { MemoryKeySetStorage } from './keys/key-set.storage.js';
import { KeyStore } from './keys/key-store.js';
import { OptionsError } from './options/options.error.js';
import { MemoryRateLimitStore } from './rate-limit/rate-limit.store.js';
import { InProcessRevocationBus, type Revocation } from './revocation/revocation.js';
import type { RevocationLog } from './revocation/revocation-log.js';
import { RevocationService } from './revocation/revocation.service.js';
import { ExternalTokenVerifier } from './verify-only/external-token.verifier.js';

const SECRET = 'x'.repeat(32);

describe('AuthCoreModule', () => {
  it('stops at forRoot, before any provider runs, on a bad option', () => {
    expect(() => AuthCoreModule.forRoot({ algorithm: 'HS256' })).toThrow(OptionsError);
    expect(() => AuthCoreModule.forRoot({ algorithm: 'HS256' })).toThrow(
      'secret is required when algorithm=HS256',
    );
  });

  it('takes its options from a factory with forRootAsync, validated before use', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRootAsync({
          useFactory: async () => ({ algorithm: 'HS256', secret: SECRET, issuer: 'https://auth.example' }),
        }),
      ],
    }).compile();
    expect(moduleRef.get(AUTH_CORE_SETTINGS)).toMatchObject({
      issuer: 'https://auth.example',
      accessTokenTtl: 900,
    });
    expect(moduleRef.get(IOAUTH_EXTERNAL_VERIFIER)).toBeNull();
    await moduleRef.close();

    await expect(
      Test.createTestingModule({
        imports: [AuthCoreModule.forRootAsync({ useFactory: () => ({ accessTokenTtl: -1 }) })],
      }).compile(),
    ).rejects.toThrow('accessTokenTtl must be at least 1');
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

  it('keeps managed keys in the keySetStorage given, and writes no keys.json', async () => {
    const storage = new MemoryKeySetStorage();
    const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-module-'));
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [AuthCoreModule.forRoot({ dataDir, keySetStorage: storage })],
      }).compile();
      const [stored] = await storage.load();
      expect(moduleRef.get(KeyStore).signingKey().kid).toBe(stored?.kid);
      expect(await readdir(dataDir)).toEqual([]);
      await moduleRef.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('revokes through the revocationBus, revocationLog and rateLimitStore given instead of its own', async () => {
    const bus = new InProcessRevocationBus();
    const published: Revocation[] = [];
    bus.subscribe((revocation) => published.push(revocation));
    const recorded: Revocation[] = [];
    const log: RevocationLog = {
      record: async (revocation) => {
        recorded.push(revocation);
        return ['s1'];
      },
      readSince: async () => ({ revocations: [], position: new Date(0) }),
    };
    const rateLimitStore = new MemoryRateLimitStore(systemClock);
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRoot({
          algorithm: 'HS256',
          secret: SECRET,
          revocationBus: bus,
          revocationLog: log,
          rateLimitStore,
        }),
      ],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(IOAUTH_REVOCATION_BUS)).toBe(bus);
    expect(moduleRef.get(IOAUTH_RATE_LIMIT_STORE)).toBe(rateLimitStore);
    expect(await moduleRef.get(RevocationService).revokeUser('alice', 'admin_kick')).toBe(1);
    expect(recorded).toEqual([expect.objectContaining({ kind: 'user', sub: 'alice', reason: 'admin_kick' })]);
    expect(published).toEqual([{ ...recorded[0], sids: ['s1'] }]);
    await moduleRef.close();
  });
});
