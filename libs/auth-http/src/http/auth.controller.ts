import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { AuthError, isAuthError } from '@ioauth/auth-core';
import type { AccessTokenClaims, ErrorCode, MeResponse, TokenResponse } from '@ioauth/contracts';
import { SessionService, type IssuedTokens, type SessionUser } from '@ioauth/sessions';

import { RefreshCookie } from '../cookies/refresh-cookie.js';
import { BasicAuthGuard } from '../credentials/basic-auth.guard.js';
import { LoginRateLimit } from '../credentials/login-rate-limit.js';
import { CurrentUser } from '../guards/current-user.decorator.js';
import { JwtAuthGuard } from '../guards/jwt-auth.guard.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import {
  ME_SCHEMA,
  REFRESH_BODY_SCHEMA,
  REVOKE_BODY_SCHEMA,
  TOKEN_RESPONSE_SCHEMA,
} from '../openapi/auth-http.schemas.js';
import { RefreshRateLimit } from '../tokens/refresh-rate-limit.js';
import { ErrorBodyFilter } from './error-body.filter.js';

// Refusals of a refresh token itself, after which the cookie holding it is of no use; a rate limit or an outage
// is no verdict on the token, and leaves it.
const SPENT_COOKIE_CODES: ReadonlySet<ErrorCode> = new Set([
  'invalid_request',
  'invalid_token',
  'token_revoked',
  'refresh_token_reused',
]);

/** The HTTP API of docs/contract.md. */
@UseFilters(ErrorBodyFilter)
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with HTTP Basic credentials; starts a session.' })
  @ApiBasicAuth()
  @ApiOkResponse({ description: 'token response', schema: TOKEN_RESPONSE_SCHEMA })
  @ApiErrorResponses('invalid_request', 'invalid_credentials', 'rate_limited', 'service_unavailable')
  // The rate limit runs first, so a refused attempt costs no password hashing.
  @UseGuards(LoginRateLimit, BasicAuthGuard)
  // RFC 6749 section 5.1: token responses are never cached.
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async login(
    @CurrentUser() user: SessionUser,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenResponse> {
    // The session list shows where each login came from: the address the login limit counted.
    const issued = await this.sessions.openSession(user, {
      userAgent: request.headers['user-agent'],
      ip: request.ip,
    });
    this.cookie.set(request, response, issued);
    return issued.tokens;
  }

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh: rotates the refresh token; presenting a spent one revokes the whole session.',
  })
  @ApiBody({ schema: REFRESH_BODY_SCHEMA })
  @ApiOkResponse({ description: 'token response', schema: TOKEN_RESPONSE_SCHEMA })
  @ApiErrorResponses(
    'invalid_request',
    'invalid_token',
    'token_revoked',
    'refresh_token_reused',
    'forbidden',
    'rate_limited',
    'service_unavailable',
  )
  // Counted before the body is validated or the database touched.
  @UseGuards(RefreshRateLimit)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenResponse> {
    const { grant_type: grantType, refresh_token: refreshToken } = (body ?? {}) as Record<string, unknown>;
    if (grantType !== 'refresh_token')
      throw new AuthError('invalid_request', 'grant_type must be refresh_token');
    if (refreshToken === undefined && this.cookie.enabled) return this.refreshFromCookie(request, response);
    if (typeof refreshToken !== 'string') throw new AuthError('invalid_request', 'refresh_token is required');
    const issued = await this.sessions.rotateSession(refreshToken);
    // A page moves a fresh login into the cookie by sending its refresh token once, with credentials. Only a script
    // of an allowed page may: a cross-site form posting someone else's refresh token would plant their session in
    // this browser (login CSRF), and a top-level navigation may set even a SameSite=Strict cookie.
    if (this.cookie.fromAllowedPage(request)) this.cookie.set(request, response, issued);
    return issued.tokens;
  }

  /**
   * RFC 7009: the body is JSON or, as section 2.1 specifies, a form (`token`, optional `token_type_hint`, which
   * may be ignored: only refresh tokens are revocable here). 200 `{}` whether or not the token was known.
   */
  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: "Revoke a refresh token's session (RFC 7009); 200 for an unknown or spent token too.",
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ schema: REVOKE_BODY_SCHEMA })
  @ApiOkResponse({ description: 'always `{}`', schema: { type: 'object', additionalProperties: false } })
  @ApiErrorResponses('invalid_request', 'forbidden', 'rate_limited', 'service_unavailable')
  @UseGuards(RefreshRateLimit)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async revoke(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, never>> {
    const { token, token_type_hint: hint } = (body ?? {}) as Record<string, unknown>;
    if (hint !== undefined && typeof hint !== 'string')
      throw new AuthError('invalid_request', 'token_type_hint must be text');
    if (token === undefined && this.cookie.enabled) {
      // A page signing out: whatever the cookie held ends, and the cookie goes, even when it held nothing.
      const fromCookie = this.cookie.take(request);
      if (fromCookie !== undefined) await this.sessions.revokeRefreshToken(fromCookie);
      this.cookie.clear(request, response);
      return {};
    }
    if (typeof token !== 'string') throw new AuthError('invalid_request', 'token is required');
    await this.sessions.revokeRefreshToken(token);
    return {};
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: "Revoke the caller's session: its refresh tokens and live sockets, cluster-wide.",
  })
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'the session is revoked' })
  @ApiErrorResponses('invalid_token', 'token_expired', 'token_revoked', 'service_unavailable')
  @UseGuards(JwtAuthGuard)
  async logout(
    @CurrentUser() claims: AccessTokenClaims,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.sessions.logout(claims);
    this.cookie.clear(request, response);
  }

  @Get('me')
  @ApiOperation({ summary: 'The claims of the access token.' })
  @ApiBearerAuth()
  @ApiOkResponse({ schema: ME_SCHEMA })
  @ApiErrorResponses('invalid_token', 'token_expired', 'token_revoked', 'service_unavailable')
  @UseGuards(JwtAuthGuard)
  me(@CurrentUser() claims: AccessTokenClaims): MeResponse {
    return { sub: claims.sub, scope: claims.scope, roles: claims.roles, exp: claims.exp, sid: claims.sid };
  }

  // The cookie's refresh grant: from an allowed page only; a cookie the grant refuses is cleared, so that a page
  // reload finds none rather than trying it again.
  private async refreshFromCookie(request: Request, response: Response): Promise<TokenResponse> {
    const refreshToken = this.cookie.take(request);
    if (refreshToken === undefined)
      throw new AuthError('invalid_request', 'refresh_token is required, in the body or the refresh cookie');
    let issued: IssuedTokens;
    try {
      issued = await this.sessions.rotateSession(refreshToken);
    } catch (error) {
      if (isAuthError(error) && SPENT_COOKIE_CODES.has(error.code)) this.cookie.clear(request, response);
      throw error;
    }
    this.cookie.set(request, response, issued);
    return issued.tokens;
  }
}
