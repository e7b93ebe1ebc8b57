import { Body, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import type { AccessTokenClaims } from '@ioauth/contracts';
import { AccountService } from '@ioauth/sessions';

import { LoginRateLimit } from '../credentials/login-rate-limit.js';
import { CurrentUser } from '../guards/current-user.decorator.js';
import { JwtAuthGuard } from '../guards/jwt-auth.guard.js';
import { ErrorBodyFilter } from '../http/error-body.filter.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { PASSWORD_CHANGE_SCHEMA } from '../openapi/auth-http.schemas.js';

/** The caller's password (contract v2). */
@UseFilters(ErrorBodyFilter)
@ApiTags('account')
@ApiBearerAuth()
@Controller('auth/password')
export class PasswordController {
  constructor(private readonly account: AccountService) {}

  /**
   * The current password is a login's secret: guessing it through this route is counted by the same per-address
   * limit as logins (and by the per-username one, in `AccountService`), so a stolen access token is no way around
   * them (OWASP ASVS 5.0 V6.3.1).
   */
  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Changes the password; every other session of the user ends, with its sockets.',
  })
  @ApiBody({ schema: PASSWORD_CHANGE_SCHEMA })
  @ApiNoContentResponse({ description: 'the password is changed; this session goes on' })
  @ApiErrorResponses(
    'invalid_request',
    'weak_password',
    'invalid_credentials',
    'invalid_token',
    'token_expired',
    'token_revoked',
    'rate_limited',
    'service_unavailable',
  )
  // The token first: it costs no I/O, and a request without one is no guess at a password.
  @UseGuards(JwtAuthGuard, LoginRateLimit)
  async change(@CurrentUser() claims: AccessTokenClaims, @Body() body: unknown): Promise<void> {
    const { current_password: current, new_password: next } = (
      typeof body === 'object' && body !== null ? body : {}
    ) as Record<string, unknown>;
    await this.account.changePassword(claims, current, next);
  }
}
