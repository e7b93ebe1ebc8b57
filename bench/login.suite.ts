import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Test } from '@nestjs/testing';

import { AuthCoreModule } from '@ioauth/auth-core';
import { CredentialsVerifier, SessionService, SessionsModule } from '@ioauth/sessions';
import {
  IOAUTH_USERS,
  PasswordHasher,
  SqlKeySetStorage,
  SqlRevocationLog,
  StoreModule,
  type UserRepository,
} from '@ioauth/store';

// One mode of the login benchmark, prepared inside its own worker process (see harness.ts).

const PASSWORD = 'a-realistic-password-of-medium-length';

// Logins and refreshes each `ioauth` worker runs before it is measured (see `prepare`).
const WARM_UP = 300;

/**
 * `argon2id` verifies one password against its hash: the floor of any login. `ioauth` runs the whole login path
 * behind the Basic guard, as `SessionsModule` serves it to every login method (user lookup in the embedded
 * database, argon2id verification, session and refresh token stored, access token signed) and the refresh grant
 * (refresh token spent and rotated, user looked up again, access token signed).
 * `ioauth-postgres` is the same on the PostgreSQL at `IOAUTH_BENCH_DATABASE_URL` (see login.bench.ts).
 */
export async function prepare(mode: string): Promise<Record<string, () => unknown>> {
  const passwords = new PasswordHasher();
  const hash = await passwords.hash(PASSWORD);
  if (mode === 'argon2id') return { login: () => passwords.verify(hash, PASSWORD) };

  const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-bench-'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      StoreModule.forRoot({
        dataDir,
        ...(mode === 'ioauth-postgres' ? { databaseUrl: process.env['IOAUTH_BENCH_DATABASE_URL'] } : {}),
      }),
      // As the apps wire it: keys and durable revocations in the store.
      AuthCoreModule.forRootAsync({
        inject: [SqlKeySetStorage, SqlRevocationLog],
        useFactory: (keySetStorage: SqlKeySetStorage, revocationLog: SqlRevocationLog) => ({
          dataDir,
          keySetStorage,
          revocationLog,
        }),
      }),
      SessionsModule.forRoot({ loginUserLimit: 10_000 }),
    ],
  }).compile();
  await moduleRef.init();
  await moduleRef
    .get<UserRepository>(IOAUTH_USERS)
    .create({ username: 'alice', passwordHash: hash, scopes: ['chat:read'] }, new Date());
  const credentials = moduleRef.get(CredentialsVerifier);
  const sessions = moduleRef.get(SessionService);
  const login = async () => sessions.login(await credentials.verify('alice', PASSWORD));
  let refreshToken = (await login()).refresh_token;
  const refresh = async () => {
    refreshToken = (await sessions.refresh(refreshToken)).refresh_token;
  };
  // The figures are those of a server that has been running: the embedded database is PostgreSQL compiled to
  // WebAssembly, which V8 compiles again, function by function, as each gets hot, and the first few hundred logins
  // of a process also collect the garbage of its start-up. The harness's warm-up (two slices, about ten logins)
  // suits operations of microseconds; argon2id, native code, needs none.
  for (let i = 0; i < WARM_UP; i += 1) {
    await login();
    await refresh();
  }
  return { login, refresh };
}
