import type { TokenResponse } from '@ioauth/contracts';

import { realScheduler, type Scheduler } from '../clock.js';
import { TypedEmitter } from '../emitter.js';
import { IoauthError } from '../ioauth.error.js';
import { basicAuthorization } from './basic.js';
import type { TokenSource } from './token-source.js';

/** Options of `SessionTokens`. */
export interface SessionTokensOptions {
  /** Base URL of the ioauth HTTP API, such as `https://auth.example.com`. */
  baseUrl: string;
  /** Seconds before `exp` at which `accessToken()` refreshes (a third of the lifetime if that is shorter). */
  refreshAhead?: number;
  fetch?: typeof fetch;
  scheduler?: Scheduler;
}

/**
 * An ioauth session in the page: logs in with HTTP Basic, keeps the access and refresh tokens in memory only (never
 * in storage a script injection could read), refreshes with the refresh grant before expiry, shares one refresh
 * between concurrent callers, and logs out.
 */
export class SessionTokens
  extends TypedEmitter<{ change: (expiresAt: number | undefined) => void }>
  implements TokenSource
{
  private current: { access: string; refresh: string; expiresAt: number; lifetime: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly fetch: typeof fetch;
  private readonly scheduler: Scheduler;

  constructor(private readonly options: SessionTokensOptions) {
    super();
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
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
   * Logs in with a username and password.
   * @throws IoauthError `invalid_credentials`, `rate_limited` (see `status` 429), `service_unavailable`.
   */
  async login(username: string, password: string): Promise<TokenResponse> {
    const response = await this.request('/auth/login', {
      method: 'POST',
      headers: { authorization: basicAuthorization(username, password) },
    });
    return this.use((await response.json()) as TokenResponse);
  }

  /** Adopts tokens the application already has, as from its own call to `/auth/login`. */
  use(tokens: TokenResponse): TokenResponse {
    this.current = {
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      expiresAt: this.scheduler.now() + tokens.expires_in * 1000,
      lifetime: tokens.expires_in * 1000,
    };
    this.emit('change', this.current.expiresAt);
    return tokens;
  }

  /** Forgets the tokens locally, as after `unauthorized`, without telling the server. */
  clear(): void {
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
   * @throws IoauthError `invalid_token`, `refresh_token_reused` or `token_revoked` (the session is over: logged
   * out locally too), or `service_unavailable`.
   */
  refresh(): Promise<string> {
    this.pending ??= this.spend().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /**
   * Ends the session on the server, its live sockets closing everywhere, and forgets the tokens here whatever the
   * outcome. It revokes the refresh token (`POST /auth/revoke`, RFC 7009), which needs no access token, so it works
   * after the access token expired too. It rejects when the server did not confirm, so that the app can tell the
   * user the session may still be live (on a shared computer, say) and offer to try again.
   * @throws IoauthError `service_unavailable` (unreachable, or a 5xx), `rate_limited` (with `retryAfter`).
   */
  async logout(): Promise<void> {
    const current = this.current;
    this.clear();
    if (!current) return;
    await this.request('/auth/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: current.refresh }),
    });
  }

  private async spend(): Promise<string> {
    const current = this.current;
    if (!current) throw new IoauthError('token_missing', 'not logged in');
    try {
      const response = await this.request('/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: current.refresh }),
      });
      const tokens = (await response.json()) as TokenResponse;
      // Logged out (or another session adopted) while the refresh was under way: the new pair belongs to a session
      // being revoked, and must not come back to life here.
      if (this.current !== current)
        throw new IoauthError('token_missing', 'the session changed during the refresh');
      return this.use(tokens).access_token;
    } catch (error) {
      // A refused refresh token ends the session; a network or server failure leaves it to try again.
      if (
        error instanceof IoauthError &&
        error.status !== undefined &&
        error.status < 500 &&
        this.current === current
      )
        this.current = undefined;
      throw error;
    }
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      // Tokens travel in headers, never cookies; and without credentials a 401's `WWW-Authenticate: Basic` cannot
      // make the browser open its own login dialog over the page.
      response = await this.fetch(new URL(path, this.options.baseUrl).toString(), {
        ...init,
        credentials: 'omit',
      });
    } catch {
      throw new IoauthError('service_unavailable', 'the server cannot be reached');
    }
    if (!response.ok) throw await IoauthError.fromResponse(response);
    return response;
  }
}
