import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AuthCoreModule, OptionsError } from '@ioauth/auth-core';

import { IOAUTH_USER_DIRECTORY } from './sessions.constants.js';
import { SessionsModule } from './sessions.module.js';
import { SPEC_SECRET, specStore, TeamDirectory } from './testing/sessions.setup.js';

const refusalOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('SessionsModule.forRoot', () => {
  it.each([
    ['refreshTokenTtl', { refreshTokenTtl: 59 }, 'must be at least 60'],
    ['sessionMaxAge', { sessionMaxAge: 31_536_001 }, 'must be at most 31536000'],
    ['loginUserLimit', { loginUserLimit: 'ten-zzz' }, 'must be a whole number'],
    ['users', { users: { verifyPassword: async () => undefined } }, 'must be a UserDirectory'],
    ['claims', { claims: { tenant: 'acme-zzz' } }, 'must be a function'],
  ])('refuses a bad %s at once, naming it and never its value', (option, options, message) => {
    const error = refusalOf(() => SessionsModule.forRoot(options as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as Error).message).toContain(`${option} ${message}`);
    expect((error as Error).message).not.toContain('zzz');
  });

  it('reports every bad option at once', () => {
    const error = refusalOf(() => SessionsModule.forRoot({ refreshTokenTtl: 0, loginUserLimit: 0 }));
    expect((error as OptionsError).issues.map((issue) => issue.option)).toEqual([
      'refreshTokenTtl',
      'loginUserLimit',
    ]);
  });
});

describe('SessionsModule.forRootAsync', () => {
  @Injectable()
  class TeamUsers extends TeamDirectory {}

  @Module({ providers: [TeamUsers], exports: [TeamUsers] })
  class TeamUsersModule {}

  it("takes a directory that is a provider of the app's own", async () => {
    const store = await specStore();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCoreModule.forRoot({ algorithm: 'HS256', secret: SPEC_SECRET }),
        store.module,
        SessionsModule.forRootAsync({
          imports: [TeamUsersModule],
          inject: [TeamUsers],
          useFactory: (users: TeamUsers) => ({ users }),
        }),
      ],
    }).compile();
    try {
      expect(moduleRef.get(IOAUTH_USER_DIRECTORY)).toBe(moduleRef.get(TeamUsers));
    } finally {
      await moduleRef.close();
      await store.sql.close();
    }
  }, 60_000);
});
