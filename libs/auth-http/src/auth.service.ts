import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, Optional } from '@nestjs/common';

import {
  AuthError,
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  RevocationService,
  TokenService,
  type Clock,
  type IoauthConfig,
} from '@ioauth/auth-core';
import type { AccessTokenClaims, TokenResponse } from '@ioauth/contracts';
import { AuthMetrics } from '@ioauth/observability';
import {
  IOAUTH_SESSIONS,
  IOAUTH_USERS,
  normalizeUsername,
  PasswordHasher,
  type SessionRepository,
  type User,
  type UserRepository,
} from '@ioauth/store';

import { LoginRateLimit } from './credentials/login-rate-limit.js';
import { hashRefreshToken, isRefreshTokenShaped, newRefreshToken } from './tokens/refresh-token.js';

/**
 * Logins, refresh-token rotation and revocation. Audit lines name the user and session, never a secret.
 * Every refusal is an `AuthError`.
 */
@Injectable()
export class AuthService {
  private readonly audit = new Logger('ioauth.audit');

  constructor(
    private readonly tokens: TokenService,
    private readonly passwords: PasswordHasher,
    private readonly rateLimit: LoginRateLimit,
    @Inject(IOAUTH_USERS) private readonly users: UserRepository,
    @Inject(IOAUTH_SESSIONS) private readonly sessions: SessionRepository,
    private readonly revocations: RevocationService,
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    @Optional() private readonly metrics?: AuthMetrics,
  ) {}

  /**
   * Checks a username and password. An unknown or disabled user costs the same argon2id work as a wrong password
   * and gets the same answer. The attempt counts against the username before anything else (see
   * `LoginRateLimit.reserve`): a locked username costs no lookup and no hashing, whatever the password.
   * @throws AuthError `invalid_credentials`; `RateLimitedError` (`rate_limited`) past the per-username limit.
   */
  async verifyCredentials(rawUsername: string, password: string): Promise<User> {
    const username = normalizeUsername(rawUsername);
    if (username !== undefined) await this.rateLimit.reserve(username);
    const user = username === undefined ? undefined : await this.users.findByUsername(username);
    const valid =
      user !== undefined && !user.disabled
        ? await this.passwords.verify(user.passwordHash, password)
        : await this.passwords.verifyNothing(password);
    if (!valid || !user) {
      this.audit.warn({ event: 'login.failed', user: username ?? null });
      this.metrics?.logins.inc({ result: 'failure' });
      throw new AuthError('invalid_credentials', 'username or password is wrong');
    }
    await this.rateLimit.recordSuccess(user.username);
    this.metrics?.logins.inc({ result: 'success' });
    return user;
  }

  /** Opens a session for a user who has just proven who they are, and issues its first tokens. */
  async login(user: User): Promise<TokenResponse> {
    const now = this.clock.now();
    const sid = randomUUID();
    const refresh = newRefreshToken();
    await this.sessions.createSession({
      sid,
      sub: user.username,
      refreshTokenHash: refresh.hash,
      now: new Date(now),
      expiresAt: new Date(now + this.config.refreshTokenTtl * 1000),
      absoluteExpiresAt: new Date(now + this.config.sessionMaxAge * 1000),
    });
    this.audit.log({ event: 'login.succeeded', user: user.username, sid });
    return this.tokenResponse(user, sid, refresh.token);
  }

  /**
   * The refresh grant (RFC 6749 section 6): spends the token and issues a new pair. A spent token coming back
   * revokes its whole session (RFC 9700 section 4.14.2).
   * @throws AuthError `invalid_request`, `invalid_token`, `token_revoked` or `refresh_token_reused`.
   */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    if (!isRefreshTokenShaped(refreshToken))
      throw new AuthError('invalid_request', 'refresh_token is malformed');
    const now = this.clock.now();
    const next = newRefreshToken();
    const outcome = await this.sessions.rotateRefreshToken({
      refreshTokenHash: hashRefreshToken(refreshToken),
      nextRefreshTokenHash: next.hash,
      now: new Date(now),
      expiresAt: new Date(now + this.config.refreshTokenTtl * 1000),
    });
    this.metrics?.refreshes.inc({
      outcome: outcome.status === 'expired' || outcome.status === 'unknown' ? 'invalid' : outcome.status,
    });
    switch (outcome.status) {
      case 'rotated': {
        const user = await this.users.findByUsername(outcome.session.sub);
        if (!user || user.disabled) {
          await this.revokeSession(outcome.session.sid, outcome.session.sub, 'admin');
          throw new AuthError('token_revoked', 'the user can no longer log in');
        }
        this.audit.log({ event: 'refresh.rotated', user: user.username, sid: outcome.session.sid });
        return this.tokenResponse(user, outcome.session.sid, next.token);
      }
      case 'reused':
        this.audit.warn({ event: 'refresh.reused', user: outcome.session.sub, sid: outcome.session.sid });
        // The rotation revoked the session's refresh tokens; its access tokens and sockets end here.
        await this.revokeSession(outcome.session.sid, outcome.session.sub, 'refresh_token_reused');
        throw new AuthError('refresh_token_reused', 'refresh token was used before: the session is revoked');
      case 'revoked':
        throw new AuthError('token_revoked', 'the session is revoked');
      default:
        throw new AuthError('invalid_token', 'refresh token is unknown or expired');
    }
  }

  /** Ends the session of an access token: its refresh tokens and, through the bus, its live sockets. */
  async logout(claims: Pick<AccessTokenClaims, 'sid' | 'sub'>): Promise<void> {
    await this.revokeSession(claims.sid, claims.sub, 'logout');
  }

  /**
   * RFC 7009 token revocation of a refresh token: ends its session (refresh tokens and live sockets) without
   * needing an access token, so an expired one never keeps a session alive. A spent token of the session ends it
   * too, as presenting it to the refresh grant would (and a logout racing a refresh still logs out). An unknown,
   * spent-and-revoked or malformed token is no error (RFC 7009 section 2.2): nothing is said about which tokens
   * exist, and a malformed one costs no database work.
   */
  async revokeRefreshToken(refreshToken: string): Promise<void> {
    if (!isRefreshTokenShaped(refreshToken)) return;
    const session = await this.sessions.findByRefreshTokenHash(hashRefreshToken(refreshToken));
    if (!session || session.revokedAt !== undefined) return;
    await this.revokeSession(session.sid, session.sub, 'logout');
  }

  /**
   * Revokes a session, whether or not it was live: stored before it returns, then refused by every process (see
   * `RevocationService`).
   */
  async revokeSession(sid: string, sub: string, reason: string): Promise<void> {
    await this.revocations.revokeSession(sid, sub, reason);
    this.audit.log({ event: 'session.revoked', user: sub, sid, reason });
    this.metrics?.revocations.inc({ kind: 'session', reason });
  }

  /**
   * Revokes every session and every live token of a user (`users remove`, `users disable`,
   * `sessions revoke --user`), durably: it holds after the user row is gone and across restarts.
   * @returns the number of live sessions it ended.
   */
  async revokeUser(sub: string, reason = 'admin'): Promise<number> {
    const ended = await this.revocations.revokeUser(sub, reason);
    this.audit.log({ event: 'user.revoked', user: sub, sessions: ended, reason });
    this.metrics?.revocations.inc({ kind: 'user', reason });
    return ended;
  }

  private tokenResponse(user: User, sid: string, refreshToken: string): TokenResponse {
    const { token, claims } = this.tokens.issueAccessToken({
      sub: user.username,
      sid,
      scope: user.scopes,
      roles: user.roles,
    });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: claims.exp - claims.iat,
      refresh_token: refreshToken,
      scope: claims.scope,
    };
  }
}
