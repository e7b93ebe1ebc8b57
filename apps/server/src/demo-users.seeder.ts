import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { IOAUTH_CLOCK, type Clock } from '@ioauth/auth-core';
import {
  DuplicateUserError,
  IOAUTH_SQL,
  PasswordHasher,
  SqlUserRepository,
  type SqlClient,
} from '@ioauth/store';

/** The demo users of shared/CONTRACT.md, documented in the README. */
export const DEMO_USERS = [
  { username: 'alice', password: 'alice-password', scopes: ['chat:read', 'chat:write'], roles: [] },
  { username: 'bob', password: 'bob-password', scopes: ['chat:read'], roles: [] },
  { username: 'admin', password: 'admin-password', scopes: [], roles: ['admin'] },
] as const;

/** Injection token of whether demo mode is on (`IOAUTH_DEMO`). */
export const DEMO_MODE = 'IOAUTH:DEMO_MODE';

/** The row of `ioauth_markers` that says a database has had its demo users. */
export const DEMO_USERS_MARKER = 'demo-users-seeded';

/**
 * In demo mode, adds the demo users to a database once, and says loudly at every start that they may exist. Once
 * only: a demo user an operator removed (or renamed away) must not come back with its published password on the
 * next start (issue 11, finding 14).
 */
@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('ioauth');

  constructor(
    @Inject(DEMO_MODE) private readonly demo: boolean,
    @Inject(IOAUTH_SQL) private readonly sql: SqlClient,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.demo) return;
    await this.seedOnce();
    this.logger.warn(
      'demo mode: the users alice, bob and admin exist with documented passwords; set IOAUTH_DEMO=false in production',
    );
  }

  private async seedOnce(): Promise<void> {
    const seeded = await this.sql.query('select 1 from ioauth_markers where name = $1', [DEMO_USERS_MARKER]);
    if (seeded.length > 0) return;
    // Hashed before the transaction opens: argon2 takes a while, and a transaction should hold nothing meanwhile.
    const users = await Promise.all(
      DEMO_USERS.map(async ({ password, ...user }) => ({
        ...user,
        passwordHash: await this.passwords.hash(password),
      })),
    );
    const now = new Date(this.clock.now());
    await this.sql.transaction(async (tx) => {
      // The marker goes in first: of two processes starting at once, the second waits here for the first to commit,
      // finds the marker, and adds nothing.
      const [marked] = await tx.query(
        'insert into ioauth_markers (name, created_at) values ($1, $2) on conflict do nothing returning name',
        [DEMO_USERS_MARKER, now],
      );
      if (!marked) return;
      const repository = new SqlUserRepository(tx);
      for (const user of users) {
        // A user of that name made before demo mode was first turned on stays as it is.
        await repository.create(user, now).catch((error: unknown) => {
          if (!(error instanceof DuplicateUserError)) throw error;
        });
      }
    });
  }
}
