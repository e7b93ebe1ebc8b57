import { InProcessRevocationBus, RevocationList, type IoauthConfig } from '@ioauth/auth-core';

import { RevocationSeeder } from './revocation-seeder.js';
import type { Session, SessionRepository } from './session.js';

const NOW = 1_800_000_000_000;
const clock = { now: () => NOW };

describe('RevocationSeeder', () => {
  it('refuses, from start-up on, the sessions the store says were revoked within one token lifetime', async () => {
    const asked: Date[] = [];
    const sessions = {
      revokedSince: async (since: Date) => {
        asked.push(since);
        return [
          { sid: 's1', sub: 'alice', revokedAt: new Date(NOW - 60_000), revokedReason: 'logout' } as Session,
        ];
      },
    } as unknown as SessionRepository;
    const revocations = new RevocationList(new InProcessRevocationBus(), clock, 905_000);
    const config = { accessTokenTtl: 900, clockTolerance: 5 } as IoauthConfig;
    await new RevocationSeeder(revocations, sessions, config, clock).onModuleInit();
    expect(asked).toEqual([new Date(NOW - 905_000)]);
    expect(revocations.isRevoked({ sid: 's1', sub: 'alice' })).toBe(true);
    expect(revocations.isRevoked({ sid: 's2', sub: 'alice' })).toBe(false);
  });
});
