import type { SessionInfo, TokenResponse } from '@ioauth/contracts';

import { realScheduler, type Scheduler } from '../clock.js';
import { TypedEmitter } from '../emitter.js';
import { IoauthError, isIoauthError } from '../ioauth.error.js';
import { AccountCalls } from './account.js';
import { ApiClient } from './api-client.js';
import { basicAuthorization } from './basic.js';
import { RefreshCookie, subjectOf } from './refresh-cookie.js';
import type { TokenSource } from './token-source.js';

/** Options of `SessionTokens`. */
export interface SessionTokensOptions {
  /** Base URL of the ioauth HTTP API, such as `https://auth.example.com`. */
  baseUrl: string;
  /** Seconds before `exp` at which `accessToken()` refreshes (a third of the lifetime if that is shorter). */
  refreshAhead?: number;
  /**
   * Keep the refresh token in the HttpOnly cookie of a server in cookie mode (`IOAUTH_REFRESH_COOKIE=true`) instead
   * of in memory, so that `resume()` restores the session after a page reload. When the server or the browser keeps
   * no cookie, a login falls back to memory. One session per browser and API origin: every tab shares the cookie.
   */
  refreshCookie?: boolean;
  fetch?: typeof fetch;
  scheduler?: Scheduler;
}

/** What a login returns: the token response, without `refresh_token` when the cookie holds it. */
export type LoginResult = Omit<TokenResponse, 'refresh_token'> & { refresh_token?: string };

interface Tokens {
  access: string;
  /** Undefined when the refresh token is in the cookie. */
  refresh: string | undefined;
  expiresAt: number;
  lifetime: number;
}

/**
 * An ioauth session in the page: logs in with HTTP Basic, keeps the access token in memory only (never in storage a
 * script injection could read) and the refresh token in memory or in an HttpOnly cookie, refreshes before expiry,
 * shares one refresh between concurrent callers, logs out, and calls the user's account routes.
 */
export class SessionTokens
  extends TypedEmitter<{ change: (expiresAt: number | undefined) => void }>
  implements TokenSource
{
  private current: Tokens | undefined;
  // Bumped whenever the session is replaced or forgotten: a refresh answering later must not bring it back.
  private generation = 0;
  private pending: Promise<string> | undefined;
  private readonly api: ApiClient;
  private readonly cookie: RefreshCookie | undefined;
  private readonly account: AccountCalls;
  private readonly scheduler: Scheduler;

  constructor(private readonly options: SessionTokensOptions) {
    super();
    this.api = new ApiClient(options.baseUrl, options.fetch ?? ((...args) => globalThis.fetch(...args)));
    this.cookie = options.refreshCookie ? new RefreshCookie(this.api, options.baseUrl) : undefined;
    this.account = new AccountCalls(this.api, () => this.accessToken());
    this.scheduler = options.scheduler ?? realScheduler;
  }

  /** Whether the session holds tokens. */
  get active(): boolean {
    return this.current !== undefined;
  }

  /** When the current access token expires, in ms since the epoch; undefined when logged out. */
  get expiresAt(): number | undefined {
    return this.current?.expiresAt;
  }

  /**
   * Logs in with a username and password. In cookie mode it then moves the session into the cookie (two more
   * requests), and the result has no `refresh_token`.
   * @throws IoauthError `invalid_credentials`, `rate_limited` (see `status` 429), `service_unavailable`.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const tokens = await this.api.json<TokenResponse>('/auth/login', {
      method: 'POST',
      authorization: basicAuthorization(username, password),
    });
    if (!this.cookie) return this.use(tokens);
    const { tokens: latest, inCookie } = await this.cookie.adopt(tokens.refresh_token);
    if (!inCookie) return this.use(latest);
    this.adopt(latest, undefined);
    const { refresh_token: _dropped, ...result } = latest;
    return result;
  }

  /**
   * In cookie mode, restores the session the cookie holds, as after a page reload; resolves false when there is none
   * (and, without `refreshCookie`, at once). Resolves true at once when the session is active.
   * @throws IoauthError `service_unavailable` (unreachable, or a 5xx), `rate_limited`, `forbidden` (an origin the
   * server does not allow).
   */
  async resume(): Promise<boolean> {
    if (!this.cookie) return false;
    if (this.current) return true;
    try {
      await this.spendShared();
      return true;
    } catch (error) {
      if (isIoauthError(error) && (error.status === 400 || error.status === 401)) return false;
      if (isIoauthError(error) && error.code === 'token_missing') return false;
      throw error;
    }
  }

  /** Adopts tokens the application already has, as from its own call to `/auth/login`; the refresh token stays in memory. */
  use(tokens: TokenResponse): TokenResponse {
    this.adopt(tokens, tokens.refresh_token);
    return tokens;
  }

  /** Forgets the tokens locally, as after `unauthorized`, without telling the server. */
  clear(): void {
    this.generation += 1;
    this.pending = undefined;
    if (!this.current) return;
    this.current = undefined;
    this.emit('change', undefined);
  }

  /**
   * A valid access token: the current one, or a refreshed one when it expires within the refresh window.
   * @throws IoauthError `token_missing` when logged out; the refresh's errors otherwise.
   */
  async accessToken(): Promise<string> {
    const current = this.current;
    if (!current) throw new IoauthError('token_missing', 'not logged in');
    const ahead = Math.min((this.options.refreshAhead ?? 30) * 1000, current.lifetime / 3);
    if (this.scheduler.now() < current.expiresAt - ahead) return current.access;
    return this.refresh();
  }

  /**
   * Spends the refresh token for a new pair now; concurrent callers share one request, since a refresh token is
   * single-use and a second spend would revoke the session (RFC 9700 section 4.14).
   * @throws IoauthError `token_missing` when logged out; `invalid_token`, `refresh_token_reused`, `token_revoked` or
   * `invalid_request` (the session is over: logged out locally too); `rate_limited` or `service_unavailable`.
   */
  refresh(): Promise<string> {
    if (!this.current) return Promise.reject(new IoauthError('token_missing', 'not logged in'));
    return this.spendShared();
  }

  /**
   * Ends the session on the server, its live sockets closing everywhere, and forgets the tokens here whatever the
   * outcome. It revokes the refresh token (`POST /auth/revoke`, RFC 7009), or the cookie's session in cookie mode
   * (even when this page holds none, as after `clear()`), which needs no access token, so it works after the access
   * token expired too. It rejects when the server did not confirm, so that the app can tell the user the session
   * may still be live (on a shared computer, say) and offer to try again.
   * @throws IoauthError `service_unavailable` (unreachable, or a 5xx), `rate_limited` (with `retryAfter`).
   */
  async logout(): Promise<void> {
    const current = this.current;
    this.clear();
    if (current?.refresh !== undefined)
      await this.api.send('/auth/revoke', { method: 'POST', body: { token: current.refresh } });
    else if (this.cookie) await this.cookie.revoke();
  }

  /**
   * The user's live sessions, this one marked `current` (`GET /auth/sessions`).
   * @throws IoauthError `token_missing` when logged out, `invalid_token`, `token_revoked`, `service_unavailable`.
   */
  sessions(): Promise<SessionInfo[]> {
    return this.account.sessions();
  }

  /**
   * Ends one of the user's sessions and closes its sockets everywhere (`DELETE /auth/sessions/{sid}`).
   * @throws IoauthError `not_found` (another user's or an unknown sid), `invalid_request` (not a session id), and
   * as `sessions()`.
   */
  endSession(sid: string): Promise<void> {
    return this.account.endSession(sid);
  }

  /**
   * Ends every session of the user but this one (`DELETE /auth/sessions`).
   * @throws IoauthError as `sessions()`.
   */
  endOtherSessions(): Promise<void> {
    return this.account.endOtherSessions();
  }

  /**
   * Changes the user's password; every other session of the user ends, this one goes on (`POST /auth/password`).
   * @throws IoauthError `invalid_credentials` (a wrong current password), `weak_password` (the policy refuses the
   * new one), `rate_limited`, and as `sessions()`.
   */
  changePassword(current: string, next: string): Promise<void> {
    return this.account.changePassword(current, next);
  }

  private adopt(tokens: TokenResponse, refresh: string | undefined): void {
    this.generation += 1;
    this.pending = undefined;
    this.current = {
      access: tokens.access_token,
      refresh,
      expiresAt: this.scheduler.now() + tokens.expires_in * 1000,
      lifetime: tokens.expires_in * 1000,
    };
    this.emit('change', this.current.expiresAt);
  }

  private spendShared(): Promise<string> {
    if (this.pending) return this.pending;
    const pending = this.spend().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  private async spend(): Promise<string> {
    const generation = this.generation;
    const previous = this.current;
    const refresh = previous?.refresh;
    try {
      const tokens =
        refresh === undefined && this.cookie
          ? await this.cookie.spend()
          : await this.api.json<TokenResponse>('/auth/token', {
              method: 'POST',
              body: { grant_type: 'refresh_token', refresh_token: refresh },
            });
      // Logged out (or another session adopted) while the refresh was under way: the new pair belongs to a session
      // being revoked, and must not come back to life here.
      if (this.generation !== generation)
        throw new IoauthError('token_missing', 'the session changed during the refresh');
      // The cookie is the browser's, not the page's: another tab that logged in as someone else replaced it. This
      // page's session cannot be refreshed any more, and must not turn into the other user's.
      if (
        previous &&
        refresh === undefined &&
        subjectOf(tokens.access_token) !== subjectOf(previous.access)
      ) {
        this.clear();
        throw new IoauthError('invalid_token', 'another login in this browser replaced the session');
      }
      this.adopt(tokens, refresh === undefined ? undefined : tokens.refresh_token);
      return tokens.access_token;
    } catch (error) {
      // A refused refresh token ends the session; a network or server failure, or a rate limit, leaves it to try
      // again.
      const refused =
        isIoauthError(error) && error.status !== undefined && error.status < 500 && error.status !== 429;
      if (refused && this.generation === generation) this.clear();
      throw error;
    }
  }
}
