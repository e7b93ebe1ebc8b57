import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  Controller,
  Get,
  HttpCode,
  Injectable,
  Module,
  Post,
  UseFilters,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import type { Request } from 'express';
import passport from 'passport';

import { AuthCoreModule, OptionsError } from '@ioauth/auth-core';
import type { AccessTokenClaims, ErrorBody, TokenResponse } from '@ioauth/contracts';
import { CredentialsVerifier, SessionService, SessionsModule, type SessionUser } from '@ioauth/sessions';
import {
  IOAUTH_USERS,
  PasswordHasher,
  SqlKeySetStorage,
  SqlRevocationLog,
  StoreModule,
  type UserRepository,
} from '@ioauth/store';

import { AuthHttpModule } from './auth-http.module.js';
import { LoginRateLimit } from './credentials/login-rate-limit.js';
import { CurrentUser } from './guards/current-user.decorator.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { ErrorBodyFilter } from './http/error-body.filter.js';

// What passport-local does, for this spec: username and password from the JSON body, then the verify callback.
class FormStrategy extends passport.Strategy {
  constructor(private readonly verify: (username: string, password: string, done: Done) => void) {
    super();
  }

  override authenticate(request: Request): void {
    const { username, password } = (request.body ?? {}) as Record<string, unknown>;
    if (typeof username !== 'string' || typeof password !== 'string') return this.fail(400);
    this.verify(username, password, (error, user) => {
      if (error) this.error(error);
      else if (user) this.success(user);
      else this.fail(401);
    });
  }
}
type Done = (error: unknown, user?: unknown) => void;

// A team's second login method, as issue 12 asks: a Passport strategy whose validate() is the shared verifier.
@Injectable()
class LocalStrategy extends PassportStrategy(FormStrategy, 'local') {
  constructor(private readonly credentials: CredentialsVerifier) {
    super();
  }

  validate(username: string, password: string): Promise<SessionUser> {
    return this.credentials.verify(username, password);
  }
}

@UseFilters(ErrorBodyFilter)
@Controller('team')
class TeamController {
  constructor(private readonly sessions: SessionService) {}

  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginRateLimit, AuthGuard('local'))
  login(@CurrentUser() user: SessionUser): Promise<TokenResponse> {
    return this.sessions.login(user);
  }

  @Get('tenant')
  @UseGuards(JwtAuthGuard)
  tenant(@CurrentUser() claims: AccessTokenClaims & { tenant: string }): { tenant: string } {
    return { tenant: claims.tenant };
  }
}

@Module({ providers: [LocalStrategy], controllers: [TeamController] })
class TeamModule {}

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
const SECRET = 'auth-http-spec-secret-at-least-32-bytes-long';

describe('AuthHttpModule with a login method of the team', () => {
  let app: INestApplication;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-auth-http-'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        StoreModule.forRoot({ dataDir }),
        AuthCoreModule.forRootAsync({
          inject: [SqlKeySetStorage, SqlRevocationLog],
          useFactory: (keySetStorage: SqlKeySetStorage, revocationLog: SqlRevocationLog) => ({
            algorithm: 'HS256' as const,
            secret: SECRET,
            keySetStorage,
            revocationLog,
          }),
        }),
        SessionsModule.forRoot({
          loginUserLimit: 3,
          claims: (user) => ({ tenant: `tenant-of-${user.sub}` }),
        }),
        AuthHttpModule.forRoot({ loginIpLimit: 1000 }),
        TeamModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    const passwords = app.get(PasswordHasher);
    const users = app.get<UserRepository>(IOAUTH_USERS);
    for (const username of ['alice', 'bob', 'carol'])
      await users.create(
        { username, passwordHash: await passwords.hash(`${username}-password`) },
        new Date(),
      );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const localLogin = (username: string, password: string) =>
    post('/team/login', { body: { username, password } });
  const expectError = async (response: Response, statusCode: number, code: string) => {
    expect(response.status).toBe(statusCode);
    expect((await response.json()) as ErrorBody).toEqual({ statusCode, code, message: expect.any(String) });
  };

  it('issues a session from the strategy of the team that refreshes like any other', async () => {
    const response = await localLogin('Alice', 'alice-password');
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenResponse;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const refreshed = await post('/auth/token', {
      body: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
    });
    expect(refreshed.status).toBe(200);
  });

  it("gives the route the team's claims of the access token through @CurrentUser()", async () => {
    const tokens = (await (await localLogin('alice', 'alice-password')).json()) as TokenResponse;
    const response = await fetch(`${url}/team/tenant`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await response.json()).toEqual({ tenant: 'tenant-of-alice' });
  });

  it('refuses a wrong password with invalid_credentials, and missing fields with invalid_request', async () => {
    await expectError(await localLogin('carol', 'wrong'), 401, 'invalid_credentials');
    await expectError(await post('/team/login', { body: { username: 'carol' } }), 400, 'invalid_request');
  });

  it('counts the failures of a username on one lockout, whichever login method they came through', async () => {
    await expectError(await localLogin('bob', 'wrong'), 401, 'invalid_credentials');
    const basicFailure = await post('/auth/login', { headers: { authorization: basic('bob:wrong') } });
    await expectError(basicFailure, 401, 'invalid_credentials');
    await expectError(await localLogin('bob', 'wrong'), 401, 'invalid_credentials');
    const locked = await post('/auth/login', { headers: { authorization: basic('bob:bob-password') } });
    await expectError(locked, 429, 'rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('AuthHttpModule.forRoot', () => {
  it.each([
    ['loginIpLimit', { loginIpLimit: 0 }, 'must be at least 1'],
    ['refreshIpLimit', { refreshIpLimit: 'sixty-zzz' }, 'must be a whole number'],
    ['trustProxy', { trustProxy: true }, 'must be false, a hop count'],
    ['trustProxy', { trustProxy: '10.0.0.0/99,zzz' }, 'must be false, a hop count'],
    ['refreshCookie', { refreshCookie: 'zzz' }, 'must be true or false'],
    [
      'refreshCookieOrigins',
      { refreshCookie: true, refreshCookieOrigins: 'https://zzz.example' },
      'must be a list',
    ],
    ['refreshCookieOrigins', { refreshCookie: true, refreshCookieOrigins: [] }, 'must be a list'],
    [
      'refreshCookieOrigins',
      { refreshCookie: true, refreshCookieOrigins: ['https://zzz.example/'] },
      'must be a list',
    ],
    [
      'refreshCookieOrigins',
      { refreshCookie: true, refreshCookieOrigins: ['ftp://zzz.example'] },
      'must be a list',
    ],
    [
      'refreshCookieOrigins',
      { refreshCookie: true, refreshCookieOrigins: ['HTTPS://ZZZ.example'] },
      'must be a list',
    ],
    [
      'refreshCookieOrigins',
      { refreshCookieOrigins: ['https://zzz.example'] },
      'is only used with refreshCookie',
    ],
    ['localAdminFile', { localAdminFile: '' }, 'must be a file path'],
  ])('refuses a bad %s at once, naming it and never its value', (option, options, message) => {
    let error: unknown;
    try {
      AuthHttpModule.forRoot(options as never);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as Error).message).toContain(`${option} ${message}`);
    expect((error as Error).message).not.toContain('zzz');
  });
});
