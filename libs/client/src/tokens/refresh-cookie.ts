import type { TokenResponse } from '@ioauth/contracts';

import { isIoauthError } from '../ioauth.error.js';
import type { ApiClient } from './api-client.js';

/** The part of the Web Locks API (`navigator.locks`) the cookie needs. */
export interface LockManagerLike {
  request<T>(name: string, task: () => Promise<T>): Promise<T>;
}

function browserLocks(): LockManagerLike | undefined {
  return (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
}

/** The `sub` claim of an access token, read without verifying it (the server does); undefined when it has none. */
export function subjectOf(token: string): string | undefined {
  try {
    const payload = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (char) => char.charCodeAt(0));
    const sub = (JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The refresh token in the HttpOnly cookie the server sets in cookie mode (`IOAUTH_REFRESH_COOKIE=true`), where no
 * script can read or exfiltrate it, and which outlives a page reload (OAuth 2.0 for Browser-Based Apps, "Handling
 * tokens in the browser"). The server accepts it only with the `X-Requested-With` header and from an allowed
 * `Origin`, which a cross-site page cannot produce.
 *
 * The cookie is single-use, like the token in it, and every tab of the origin shares it. So it is spent by one request
 * at a time: in this page through a queue, and across tabs through the Web Locks API where the browser has it. Each
 * request then sends the cookie the previous one left, never a spent one, which would revoke the whole session
 * (RFC 9700 section 4.14.2).
 */
export class RefreshCookie {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lockName: string;

  constructor(
    private readonly api: ApiClient,
    baseUrl: string,
    private readonly locks: LockManagerLike | undefined = browserLocks(),
  ) {
    this.lockName = `ioauth refresh cookie ${new URL(baseUrl).origin}`;
  }

  /**
   * Spends the cookie for a new pair (`POST /auth/token` without `refresh_token`).
   * @throws IoauthError `invalid_request` (400: no cookie), a 401 code (a spent or unknown cookie, which the server
   * clears), `forbidden` (an origin the server does not allow), `rate_limited`, `service_unavailable`.
   */
  spend(): Promise<TokenResponse> {
    return this.exclusive(() => this.spendNow());
  }

  /**
   * Revokes the cookie's session and clears the cookie (`POST /auth/revoke` without `token`); resolves as well when
   * the server keeps no cookie (400: a server not in cookie mode wants a token, and there is none to end).
   * @throws IoauthError `service_unavailable`, `rate_limited`, `forbidden`.
   */
  revoke(): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.api.send('/auth/revoke', { method: 'POST', body: {}, cookie: true });
      } catch (error) {
        if (!(isIoauthError(error) && error.status === 400)) throw error;
      }
    });
  }

  /**
   * Moves a session just logged in into the cookie. The login itself cannot carry credentials (see `ApiClient`), so
   * its refresh token is spent once more with them, for the browser to store the cookie, and the cookie is then
   * tried once. Resolves with the newest tokens and whether the cookie holds the session: false when the server or
   * the browser keeps no cookie, and the caller must keep `tokens.refresh_token` itself.
   * @throws IoauthError of either request; the login's session is then revoked, as far as the server can be told.
   */
  adopt(refreshToken: string): Promise<{ tokens: TokenResponse; inCookie: boolean }> {
    return this.exclusive(async () => {
      let newest = refreshToken;
      try {
        const exchanged = await this.api.json<TokenResponse>('/auth/token', {
          method: 'POST',
          body: { grant_type: 'refresh_token', refresh_token: refreshToken },
          cookie: true,
        });
        newest = exchanged.refresh_token;
        try {
          return { tokens: await this.spendNow(), inCookie: true };
        } catch (error) {
          // 400: no cookie came back (a server not in cookie mode, or a browser that refuses it); 403: the server
          // takes no cookie from this origin. Nothing was spent, so the exchanged pair stands.
          if (isIoauthError(error) && (error.status === 400 || error.status === 403))
            return { tokens: exchanged, inCookie: false };
          throw error;
        }
      } catch (error) {
        // A login the page cannot use is ended rather than left live on the server, unknown to anyone.
        this.api.send('/auth/revoke', { method: 'POST', body: { token: newest } }).catch(() => undefined);
        throw error;
      }
    });
  }

  private spendNow(): Promise<TokenResponse> {
    return this.api.json<TokenResponse>('/auth/token', {
      method: 'POST',
      body: { grant_type: 'refresh_token' },
      cookie: true,
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = () => (this.locks ? this.locks.request(this.lockName, task) : task());
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
