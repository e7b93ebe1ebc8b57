import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { IOAUTH_CLOCK, IOAUTH_CONFIG, type Clock, type IoauthConfig } from '@ioauth/auth-core';
import { DuplicateUserError, IOAUTH_USERS, PasswordHasher, type UserRepository } from '@ioauth/store';

/** The demo users of shared/CONTRACT.md, documented in the README. */
export const DEMO_USERS = [
  { username: 'alice', password: 'alice-password', scopes: ['chat:read', 'chat:write'], roles: [] },
  { username: 'bob', password: 'bob-password', scopes: ['chat:read'], roles: [] },
  { username: 'admin', password: 'admin-password', scopes: [], roles: ['admin'] },
] as const;

/** In demo mode, adds the demo users that are missing and says loudly that they exist. */
@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('ioauth');

  constructor(
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
    @Inject(IOAUTH_USERS) private readonly users: UserRepository,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    for (const { username, password, scopes, roles } of DEMO_USERS) {
      if (await this.users.findByUsername(username)) continue;
      const passwordHash = await this.passwords.hash(password);
      await this.users
        .create({ username, passwordHash, scopes, roles }, new Date(this.clock.now()))
        .catch((error: unknown) => {
          // Another process seeded the same user first.
          if (!(error instanceof DuplicateUserError)) throw error;
        });
    }
    this.logger.warn(
      'demo mode: the users alice, bob and admin exist with documented passwords; set IOAUTH_DEMO=false in production',
    );
  }
}
