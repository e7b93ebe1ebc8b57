import type { DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  AuthCoreModule,
  AuthEvents,
  IOAUTH_CLOCK,
  RevocationList,
  TokenService,
  type AuthEvent,
} from '@ioauth/auth-core';
import {
  IOAUTH_SESSIONS,
  IOAUTH_USERS,
  migrate,
  PasswordHasher,
  PasswordPolicy,
  PgliteSqlClient,
  SqlRevocationLog,
  SqlSessionRepository,
  SqlUserRepository,
} from '@ioauth/store';

import { AccountService } from '../account/account.service.js';
import { CredentialsVerifier } from '../credentials/credentials.verifier.js';
import { SessionService } from '../session.service.js';
import { SessionsModule } from '../sessions.module.js';
import type { SessionsOptions } from '../sessions.options.js';
import { UserAdminService } from '../users/user-admin.service.js';
import type { SessionUser, UserDirectory } from '../users/user-directory.js';

/** The frozen "now" of the specs, in ms. */
export const NOW = 1_800_000_000_000;

/** HS256 secret of the specs' tokens. */
export const SPEC_SECRET = 'sessions-spec-secret-at-least-32-bytes-long';

/** The store's repositories over an in-memory PGlite, as a global module, the way `StoreModule` provides them. */
export async function specStore() {
  const sql = await PgliteSqlClient.open('memory://');
  await migrate(sql);
  const users = new SqlUserRepository(sql);
  const passwords = new PasswordHasher();
  const module: DynamicModule = {
    module: class SpecStoreModule {},
    global: true,
    providers: [
      { provide: IOAUTH_USERS, useValue: users },
      { provide: IOAUTH_SESSIONS, useValue: new SqlSessionRepository(sql) },
      { provide: PasswordHasher, useValue: passwords },
      { provide: PasswordPolicy, useValue: new PasswordPolicy({ passwordMinLength: 8 }) },
    ],
    exports: [IOAUTH_USERS, IOAUTH_SESSIONS, PasswordHasher, PasswordPolicy],
  };
  return { sql, users, passwords, module };
}

/**
 * Compiles `SessionsModule.forRoot(options)` as an app mounts it: `AuthCoreModule` with the store's durable
 * revocation log, and the store's repositories over an in-memory PGlite, with a clock that moves when told to.
 */
export async function setup(options: SessionsOptions = {}) {
  const { sql, users, passwords, module: store } = await specStore();
  const clock = { time: NOW, now: () => clock.time };
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthCoreModule.forRoot({
        algorithm: 'HS256',
        secret: SPEC_SECRET,
        revocationLog: new SqlRevocationLog(sql),
      }),
      store,
      SessionsModule.forRoot(options),
    ],
  })
    .overrideProvider(IOAUTH_CLOCK)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  const events: AuthEvent[] = [];
  moduleRef.get(AuthEvents).subscribe((event) => void events.push(event));
  return {
    moduleRef,
    /** Every `AuthEvent` since the setup. */
    events,
    sql,
    clock,
    users,
    sessions: moduleRef.get(SessionService),
    verifier: moduleRef.get(CredentialsVerifier),
    admin: moduleRef.get(UserAdminService),
    account: moduleRef.get(AccountService),
    tokens: moduleRef.get(TokenService),
    revocations: moduleRef.get(RevocationList),
    /** Adds a user to ioauth's users table. */
    addUser: async (
      username: string,
      password: string,
      grants: { scopes?: string[]; roles?: string[] } = {},
    ) => users.create({ username, passwordHash: await passwords.hash(password), ...grants }, new Date(NOW)),
    close: async () => {
      await moduleRef.close();
      await sql.close();
    },
  };
}

/** Runs something that must fail and returns what it threw (or rejected with). */
export async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

/** A user of `TeamDirectory`, with a field of the team's own. */
export interface TeamUser extends SessionUser {
  tenant: string;
}

/**
 * A team's own directory, as an app would write one over its users table: users keyed by username, with a
 * subject that is not the username and a `tenant`. It records what it was asked.
 */
export class TeamDirectory implements UserDirectory<TeamUser> {
  readonly users = new Map<string, TeamUser & { username: string; password: string }>();
  readonly asked: string[] = [];

  add(user: TeamUser & { username: string; password: string }): void {
    this.users.set(user.username, user);
  }

  async verifyPassword(username: string, password: string): Promise<TeamUser | undefined> {
    this.asked.push(username);
    // What a slow password hash does: let every other attempt run meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    const user = this.users.get(username);
    return user?.password === password ? user : undefined;
  }

  async findUser(sub: string): Promise<TeamUser | undefined> {
    return [...this.users.values()].find((user) => user.sub === sub);
  }
}
