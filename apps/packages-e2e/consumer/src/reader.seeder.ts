import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { IOAUTH_USERS, PasswordHasher, type UserRepository } from '@ioauth/store';

/** The account the e2e logs in with: it may read the chat but not post (`chat:read` only). */
export const READER = { username: 'reader', password: 'reader-password-for-e2e' } as const;

/** Creates the reader at start through the store's API, as a team's own seeding or admin code would. */
@Injectable()
export class ReaderSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(IOAUTH_USERS) private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.findByUsername(READER.username)) return;
    const passwordHash = await this.passwords.hash(READER.password);
    await this.users.create({ username: READER.username, passwordHash, scopes: ['chat:read'] }, new Date());
  }
}
