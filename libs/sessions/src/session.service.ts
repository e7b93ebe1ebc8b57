import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import {
  AuthError,
  AuthEvents,
  IOAUTH_CLOCK,
  RevocationService,
  TokenService,
  type Clock,
  type RevocationReason,
} from '@ioauth/auth-core';
import type { AccessTokenClaims, TokenResponse } from '@ioauth/contracts';
import { IOAUTH_SESSIONS, type SessionRepository } from '@ioauth/store';

import type { ClaimsContext } from './claims/claims-hook.js';
import { CredentialsVerifier } from './credentials/credentials.verifier.js';
import { IOAUTH_USER_DIRECTORY, SESSIONS_SETTINGS } from './sessions.constants.js';
import type { SessionsSettings } from './sessions.options.schema.js';
import { hashRefreshToken, isRefreshTokenShaped, newRefreshToken } from './tokens/refresh-token.js';
import type { SessionUser, UserDirectory } from './users/user-directory.js';

/** Where a login came from, as the user's session list shows it. */
export interface LoginDevice {
  /** The `User-Agent` header, cut to 256 characters when stored. */
  userAgent?: string;
  /** The client address, as the rate limits see it (`request.ip`). */
  ip?: string;
}

/** Tokens just issued, with when their refresh token expires: what a cookie holding it needs for its lifetime. */
export interface IssuedTokens {
  tokens: TokenResponse;
  /** The sooner of the refresh token's expiry and its session's absolute end. */
  refreshExpiresAt: Date;
}

/**
 * Sessions: opening one at login, refresh-token rotation, and revocation. Whatever the login method and whoever
 * the caller (HTTP routes, the CLI, a team's code), this is the one path; what happens is told as `AuthEvents`
 * (`login.succeeded`, `token.refreshed`, `refresh.reused`, `refresh.failed`, and `RevocationService`'s
 * `session.revoked` and `user.revoked`), naming users and sessions, never a secret. Every refusal is an `AuthError`.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly revocations: RevocationService,
    @Inject(IOAUTH_SESSIONS) private readonly sessions: SessionRepository,
    @Inject(IOAUTH_USER_DIRECTORY) private readonly users: UserDirectory,
    @Inject(SESSIONS_SETTINGS) private readonly settings: SessionsSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly events: AuthEvents,
    private readonly credentials: CredentialsVerifier,
  ) {}

  /**
   * Opens a session for a user who has just proven who they are (as `CredentialsVerifier.verify` returned them),
   * and issues its first tokens. `device` is what the session list shows the user of it.
   * @throws TypeError when the `claims` hook returns a registered claim; no session is opened then.
   * @throws AuthError `invalid_credentials` when the user's sessions were all revoked after their password was
   *   checked (see `CredentialsVerifier.passwordCheckedAt`).
   */
  async login(user: SessionUser, device: LoginDevice = {}): Promise<TokenResponse> {
    return (await this.openSession(user, device)).tokens;
  }

  /** `login`, answering when the refresh token expires as well (`IssuedTokens`). */
  async openSession(user: SessionUser, device: LoginDevice = {}): Promise<IssuedTokens> {
    const now = this.clock.now();
    const sid = randomUUID();
    const refresh = newRefreshToken();
    // Minted before the session is stored, so that a claims hook that fails leaves no session behind.
    const response = await this.tokenResponse(user, sid, refresh.token, 'login');
    const checkedAt = this.credentials.passwordCheckedAt(user);
    const session = await this.sessions.createSession({
      sid,
      sub: user.sub,
      refreshTokenHash: refresh.hash,
      now: new Date(now),
      expiresAt: new Date(now + this.settings.refreshTokenTtl * 1000),
      absoluteExpiresAt: new Date(now + this.settings.sessionMaxAge * 1000),
      ...device,
      ...(checkedAt === undefined ? {} : { unlessUserRevokedSince: new Date(checkedAt) }),
    });
    // The password was checked before the user's sessions were all ended (a password change, a disable): the
    // login is as stale as that password (OWASP ASVS 5.0 V7.4.3).
    if (!session) {
      this.events.emit({ type: 'login.failed', username: user.sub, reason: 'invalid_credentials' });
      throw new AuthError('invalid_credentials', 'username or password is wrong');
    }
    this.events.emit({ type: 'login.succeeded', sub: user.sub, sid });
    return { tokens: response, refreshExpiresAt: session.expiresAt };
  }

  /**
   * The refresh grant (RFC 6749 section 6): spends the token and issues a new pair, with the user's current scopes,
   * roles and claims. A spent token coming back revokes its whole session (RFC 9700 section 4.14.2); so does a user
   * the directory no longer knows, or has disabled.
   * @throws AuthError `invalid_request`, `invalid_token`, `token_revoked` or `refresh_token_reused`.
   */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    return (await this.rotateSession(refreshToken)).tokens;
  }

  /** `refresh`, answering when the new refresh token expires as well (`IssuedTokens`). */
  async rotateSession(refreshToken: string): Promise<IssuedTokens> {
    if (!isRefreshTokenShaped(refreshToken)) {
      this.events.emit({ type: 'refresh.failed', reason: 'invalid_token' });
      throw new AuthError('invalid_request', 'refresh_token is malformed');
    }
    const now = this.clock.now();
    const next = newRefreshToken();
    const outcome = await this.sessions.rotateRefreshToken({
      refreshTokenHash: hashRefreshToken(refreshToken),
      nextRefreshTokenHash: next.hash,
      now: new Date(now),
      expiresAt: new Date(now + this.settings.refreshTokenTtl * 1000),
    });
    switch (outcome.status) {
      case 'rotated': {
        const { sid, sub } = outcome.session;
        const user = await this.users.findUser(sub);
        if (!user || user.disabled) {
          await this.revokeSession(sid, sub, 'user_gone');
          this.events.emit({ type: 'refresh.failed', reason: 'token_revoked' });
          throw new AuthError('token_revoked', 'the user can no longer log in');
        }
        const response = await this.tokenResponse(user, sid, next.token, 'refresh');
        this.events.emit({ type: 'token.refreshed', sub, sid });
        return { tokens: response, refreshExpiresAt: outcome.session.expiresAt };
      }
      case 'reused':
        this.events.emit({ type: 'refresh.reused', sub: outcome.session.sub, sid: outcome.session.sid });
        // The rotation revoked the session's refresh tokens; its access tokens and sockets end here.
        await this.revokeSession(outcome.session.sid, outcome.session.sub, 'refresh_token_reused');
        throw new AuthError('refresh_token_reused', 'refresh token was used before: the session is revoked');
      case 'revoked':
        this.events.emit({ type: 'refresh.failed', reason: 'token_revoked' });
        throw new AuthError('token_revoked', 'the session is revoked');
      default:
        this.events.emit({ type: 'refresh.failed', reason: 'invalid_token' });
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
   * `RevocationService`, which every revocation goes through).
   */
  async revokeSession(sid: string, sub: string, reason: RevocationReason): Promise<void> {
    await this.revocations.revokeSession(sid, sub, reason);
  }

  /**
   * Revokes every session and every live token of a user (`users remove`, `users disable`,
   * `sessions revoke --user`), durably: it holds after the user is gone and across restarts.
   * @returns the number of live sessions it ended.
   */
  revokeUser(sub: string, reason: RevocationReason): Promise<number> {
    return this.revocations.revokeUser(sub, reason);
  }

  private async tokenResponse(
    user: SessionUser,
    sid: string,
    refreshToken: string,
    grant: ClaimsContext['grant'],
  ): Promise<TokenResponse> {
    const { token, claims } = this.tokens.issueAccessToken({
      sub: user.sub,
      sid,
      scope: user.scopes,
      roles: user.roles,
      claims: await this.settings.claims?.(user, { sid, grant }),
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
