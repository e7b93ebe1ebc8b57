import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

import {
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  RevocationList,
  type Clock,
  type IoauthConfig,
} from '@ioauth/auth-core';

import { IOAUTH_SESSIONS } from '../store.constants.js';
import type { SessionRepository } from './session.js';

/**
 * Teaches a starting process the revocations that still matter, from the store: the bus only carries those made
 * while it runs, and a revoked session's access tokens stay refusable until they expire (RFC 9700 section 4.14).
 * Every app with the store gets it: the HTTP API and the gateway alike.
 */
@Injectable()
export class RevocationSeeder implements OnModuleInit {
  constructor(
    private readonly revocations: RevocationList,
    @Inject(IOAUTH_SESSIONS) private readonly sessions: SessionRepository,
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const horizon = this.clock.now() - (this.config.accessTokenTtl + this.config.clockTolerance) * 1000;
    for (const session of await this.sessions.revokedSince(new Date(horizon))) {
      this.revocations.add({
        kind: 'session',
        sid: session.sid,
        sub: session.sub,
        reason: session.revokedReason ?? 'admin',
        at: session.revokedAt?.getTime() ?? this.clock.now(),
      });
    }
  }
}
