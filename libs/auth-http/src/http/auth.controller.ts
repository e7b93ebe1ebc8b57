import { Body, Controller, Get, Header, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
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

import { AuthError } from '@ioauth/auth-core';
import type { AccessTokenClaims, MeResponse, TokenResponse } from '@ioauth/contracts';
import { SessionService, type SessionUser } from '@ioauth/sessions';

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

/** The HTTP API of docs/contract.md. */
@UseFilters(ErrorBodyFilter)
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: SessionService) {}

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
  login(@CurrentUser() user: SessionUser): Promise<TokenResponse> {
    return this.sessions.login(user);
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
    'rate_limited',
    'service_unavailable',
  )
  // Counted before the body is validated or the database touched.
  @UseGuards(RefreshRateLimit)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Body() body: unknown): Promise<TokenResponse> {
    const { grant_type: grantType, refresh_token: refreshToken } = (body ?? {}) as Record<string, unknown>;
    if (grantType !== 'refresh_token')
      throw new AuthError('invalid_request', 'grant_type must be refresh_token');
    if (typeof refreshToken !== 'string') throw new AuthError('invalid_request', 'refresh_token is required');
    return this.sessions.refresh(refreshToken);
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
  @ApiErrorResponses('invalid_request', 'rate_limited', 'service_unavailable')
  @UseGuards(RefreshRateLimit)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async revoke(@Body() body: unknown): Promise<Record<string, never>> {
    const { token, token_type_hint: hint } = (body ?? {}) as Record<string, unknown>;
    if (typeof token !== 'string') throw new AuthError('invalid_request', 'token is required');
    if (hint !== undefined && typeof hint !== 'string')
      throw new AuthError('invalid_request', 'token_type_hint must be text');
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
  logout(@CurrentUser() claims: AccessTokenClaims): Promise<void> {
    return this.sessions.logout(claims);
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
}
