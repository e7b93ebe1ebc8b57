import { Body, Controller, Get, Header, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';

import { AuthError } from '@ioauth/auth-core';
import type { AccessTokenClaims, MeResponse, TokenResponse } from '@ioauth/contracts';
import type { User } from '@ioauth/store';

import { AuthService } from '../auth.service.js';
import { BasicAuthGuard } from '../credentials/basic-auth.guard.js';
import { LoginRateLimit } from '../credentials/login-rate-limit.js';
import { CurrentUser } from '../guards/current-user.decorator.js';
import { JwtAuthGuard } from '../guards/jwt-auth.guard.js';
import { ErrorBodyFilter } from './error-body.filter.js';

/** The HTTP API of shared/CONTRACT.md. */
@UseFilters(ErrorBodyFilter)
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  // The rate limit runs first, so a refused attempt costs no password hashing.
  @UseGuards(LoginRateLimit, BasicAuthGuard)
  // RFC 6749 section 5.1: token responses are never cached.
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  login(@CurrentUser() user: unknown): Promise<TokenResponse> {
    return this.auth.login(user as User);
  }

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Body() body: unknown): Promise<TokenResponse> {
    const { grant_type: grantType, refresh_token: refreshToken } = (body ?? {}) as Record<string, unknown>;
    if (grantType !== 'refresh_token')
      throw new AuthError('invalid_request', 'grant_type must be refresh_token');
    if (typeof refreshToken !== 'string') throw new AuthError('invalid_request', 'refresh_token is required');
    return this.auth.refresh(refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  logout(@CurrentUser() claims: AccessTokenClaims): Promise<void> {
    return this.auth.logout(claims);
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  me(@CurrentUser() claims: AccessTokenClaims): MeResponse {
    return { sub: claims.sub, scope: claims.scope, roles: claims.roles, exp: claims.exp, sid: claims.sid };
  }
}
