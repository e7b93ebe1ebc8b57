import { Inject, Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';

import { AuthError, IOAUTH_CLOCK, type Clock } from '@ioauth/auth-core';
import type { IssuedTokens } from '@ioauth/sessions';

import { AUTH_HTTP_SETTINGS } from '../auth-http.constants.js';
import type { AuthHttpSettings } from '../auth-http.options.schema.js';
import { isLoopbackHost } from '../http/loopback.js';
import { readCookie } from './cookie-header.js';

/** Name of the refresh cookie (contract v2, "Page reload"). */
export const REFRESH_COOKIE = 'ioauth_refresh';

// Sent only to the routes that spend or end it (/auth/token, /auth/revoke, /auth/logout), never to the app's own.
const COOKIE_PATH = '/auth';

const refused = () =>
  new AuthError('forbidden', 'the refresh cookie is only taken from a script of an allowed origin');

/**
 * The refresh token as an `HttpOnly` cookie, in cookie mode (`refreshCookie`), so that a page reload resumes the
 * session without any script ever reading the token (OAuth 2.0 for Browser-Based Applications, "Handling tokens in
 * the browser": an XSS can use but not steal it).
 *
 * The cookie: `HttpOnly`, `SameSite=Strict` and `Path=/auth`, `Secure` except when the request's host is loopback
 * (a development server over plain http), expiring with the refresh token it holds (OWASP ASVS 5.0 V3.3). It cannot
 * take the `__Host-` prefix, which requires `Path=/`.
 *
 * A request that spends or revokes it must prove it comes from a script of an allowed page (the BCP's CSRF
 * protections, ASVS 5.0 V3.5): a non-empty `X-Requested-With` (a custom header, which a cross-origin page can only
 * send after a CORS preflight the API never grants), an `Origin` that is allowed (the API's own by default, else
 * `refreshCookieOrigins`), and no `Sec-Fetch-Site: cross-site`. `SameSite=Strict` already keeps the cookie off
 * cross-site requests; these hold where it does not (a sibling subdomain is same-site, an old browser ignores it).
 */
@Injectable()
export class RefreshCookie {
  constructor(
    @Inject(AUTH_HTTP_SETTINGS) private readonly settings: AuthHttpSettings,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  /** Whether cookie mode is on. */
  get enabled(): boolean {
    return this.settings.refreshCookie;
  }

  /**
   * The refresh token in the request's cookie, once the request is shown to come from an allowed page; undefined
   * when it carries no cookie.
   * @throws AuthError `forbidden` for a request that may come from another site.
   */
  take(request: Request): string | undefined {
    if (!this.fromAllowedPage(request)) throw refused();
    return readCookie(request.headers.cookie, REFRESH_COOKIE) || undefined;
  }

  /** Whether a request shows it was sent by a script of an allowed page (see the class). */
  fromAllowedPage(request: Request): boolean {
    const requestedWith = request.headers['x-requested-with'];
    const origin = request.headers.origin;
    return (
      typeof requestedWith === 'string' &&
      requestedWith.trim() !== '' &&
      request.headers['sec-fetch-site'] !== 'cross-site' &&
      typeof origin === 'string' &&
      this.allowedOrigins(request).includes(origin.toLowerCase())
    );
  }

  /**
   * Sets the cookie to the refresh token just issued, in cookie mode, until that token expires (the sooner of its own
   * expiry and its session's absolute end, as `SessionService` answers it).
   */
  set(request: Request, response: Response, issued: IssuedTokens): void {
    if (!this.enabled) return;
    const maxAge = issued.refreshExpiresAt.getTime() - this.clock.now();
    if (maxAge <= 0) return;
    response.cookie(REFRESH_COOKIE, issued.tokens.refresh_token, { ...this.attributes(request), maxAge });
  }

  /** Tells the browser to drop the cookie, in cookie mode. */
  clear(request: Request, response: Response): void {
    if (this.enabled) response.clearCookie(REFRESH_COOKIE, this.attributes(request));
  }

  private attributes(request: Request): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      path: COOKIE_PATH,
      // Browsers drop a Secure cookie set over plain http, which is what a server on loopback speaks.
      secure: !isLoopbackHost(request.hostname),
    };
  }

  private allowedOrigins(request: Request): string[] {
    if (this.settings.refreshCookieOrigins) return this.settings.refreshCookieOrigins;
    try {
      // Express reads X-Forwarded-Proto and X-Forwarded-Host only from a proxy that `trustProxy` trusts.
      return [new URL(`${request.protocol}://${request.host ?? ''}`).origin];
    } catch {
      return [];
    }
  }
}
