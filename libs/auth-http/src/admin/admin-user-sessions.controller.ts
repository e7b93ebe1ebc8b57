import { Controller, Delete, Get, Header, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';

import type { AdminSessionsResponse } from '@ioauth/contracts';
import { UserAdminService } from '@ioauth/sessions';

import { toSessionInfo } from '../account/session-info.mapper.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { SESSIONS_RESPONSE_SCHEMA } from '../openapi/auth-http.schemas.js';
import { ADMIN_ERRORS, AdminApi } from './admin-api.decorator.js';

/** A user's sessions, for callers with the role `admin` (contract v2, `/admin/users/{username}/sessions`). */
@AdminApi()
@Controller('admin/users/:username/sessions')
export class AdminUserSessionsController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  @ApiOperation({ summary: "A user's live sessions, the most recently used first; none of them current." })
  @ApiParam({ name: 'username', type: 'string' })
  @ApiOkResponse({ schema: SESSIONS_RESPONSE_SCHEMA })
  @ApiErrorResponses('invalid_request', 'not_found', ...ADMIN_ERRORS)
  @Header('Cache-Control', 'no-store')
  async list(@Param('username') username: string): Promise<AdminSessionsResponse> {
    return { sessions: (await this.users.sessions(username)).map((session) => toSessionInfo(session)) };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends every session of a user, and their sockets on every node.' })
  @ApiParam({ name: 'username', type: 'string' })
  @ApiNoContentResponse({ description: 'the sessions are ended' })
  @ApiErrorResponses('invalid_request', 'not_found', ...ADMIN_ERRORS)
  async end(@Param('username') username: string): Promise<void> {
    await this.users.endSessions(username);
  }
}
