import { Controller, Delete, Get, Header, HttpCode, Param, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { AuthError } from '@ioauth/auth-core';
import type { AccessTokenClaims, SessionsResponse } from '@ioauth/contracts';
import { AccountService } from '@ioauth/sessions';

import { CurrentUser } from '../guards/current-user.decorator.js';
import { JwtAuthGuard } from '../guards/jwt-auth.guard.js';
import { ErrorBodyFilter } from '../http/error-body.filter.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { SESSIONS_RESPONSE_SCHEMA } from '../openapi/auth-http.schemas.js';
import { toSessionInfo } from './session-info.mapper.js';

// A session id as SessionService makes them (UUIDs), with room to spare; anything else is no session, answered
// without asking the store (a NUL byte, for one, is no text PostgreSQL can compare).
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

const TOKEN_ERRORS = ['invalid_token', 'token_expired', 'token_revoked', 'service_unavailable'] as const;

/** The caller's own sessions (contract v2): where they are signed in, and ending it (OWASP ASVS 5.0 V7.5). */
@UseFilters(ErrorBodyFilter)
@ApiTags('account')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @ApiOperation({ summary: "The caller's live sessions, the most recently used first." })
  @ApiOkResponse({ schema: SESSIONS_RESPONSE_SCHEMA })
  @ApiErrorResponses(...TOKEN_ERRORS)
  @Header('Cache-Control', 'no-store')
  async list(@CurrentUser() claims: AccessTokenClaims): Promise<SessionsResponse> {
    const sessions = await this.account.liveSessions(claims);
    return { sessions: sessions.map((session) => toSessionInfo(session, claims.sid)) };
  }

  @Delete(':sid')
  @HttpCode(204)
  @ApiOperation({ summary: "Ends one of the caller's sessions and its sockets on every node." })
  @ApiParam({ name: 'sid', type: 'string' })
  @ApiNoContentResponse({ description: 'the session is ended' })
  @ApiErrorResponses(...TOKEN_ERRORS, 'not_found')
  async end(@CurrentUser() claims: AccessTokenClaims, @Param('sid') sid: string): Promise<void> {
    if (!SESSION_ID.test(sid)) throw new AuthError('not_found', 'no such session');
    await this.account.endSession(claims, sid);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends every session of the caller but the current one.' })
  @ApiNoContentResponse({ description: 'the other sessions are ended' })
  @ApiErrorResponses(...TOKEN_ERRORS)
  async endOthers(@CurrentUser() claims: AccessTokenClaims): Promise<void> {
    await this.account.endOtherSessions(claims);
  }
}
