import { Controller, Header, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

import { CurrentUser, ErrorBodyFilter, LoginRateLimit } from '@ioauth/auth-http';
import type { TokenResponse } from '@ioauth/contracts';
import { SessionService } from '@ioauth/sessions';

import type { TenantUser } from '../users/tenant-user.js';

/**
 * A second login method beside ioauth's `POST /auth/login` (HTTP Basic): a form or JSON body through passport-local,
 * ending in the same session issuance, so the tokens, refresh and revocation are ioauth's.
 */
@Controller('login')
@UseFilters(ErrorBodyFilter)
export class FormLoginController {
  constructor(private readonly sessions: SessionService) {}

  @Post('form')
  @HttpCode(200)
  // The per-address limit first, so a refused attempt costs no password hashing.
  @UseGuards(LoginRateLimit, AuthGuard('local'))
  @Header('Cache-Control', 'no-store')
  login(@CurrentUser() user: TenantUser): Promise<TokenResponse> {
    return this.sessions.login(user);
  }
}
