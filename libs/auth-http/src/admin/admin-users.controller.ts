import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';

import type { AdminUser, AdminUsersResponse } from '@ioauth/contracts';
import { UserAdminService, type ActingAs, toAdminUser } from '@ioauth/sessions';

import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import {
  ADMIN_USER_PATCH_SCHEMA,
  ADMIN_USER_SCHEMA,
  ADMIN_USERS_RESPONSE_SCHEMA,
  NEW_ADMIN_USER_SCHEMA,
} from '../openapi/auth-http.schemas.js';
import { ActingAdmin } from './acting-admin.decorator.js';
import { ADMIN_ERRORS, AdminApi } from './admin-api.decorator.js';
import { newUserInput, userPatch } from './admin-user.bodies.js';

/**
 * ioauth's users (contract v2, `/admin/users`), for callers with the role `admin`. Every change goes through
 * `UserAdminService`, as the CLI's do: the same checks and password policy, and what is taken away (disabling,
 * removal, a new password, a lost scope or role) applied at once to the user's live tokens and sockets.
 */
@AdminApi()
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every user, by username.' })
  @ApiOkResponse({ schema: ADMIN_USERS_RESPONSE_SCHEMA })
  @ApiErrorResponses(...ADMIN_ERRORS)
  @Header('Cache-Control', 'no-store')
  async list(): Promise<AdminUsersResponse> {
    return { users: (await this.users.list()).map(toAdminUser) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Adds a user.' })
  @ApiBody({ schema: NEW_ADMIN_USER_SCHEMA })
  @ApiCreatedResponse({ schema: ADMIN_USER_SCHEMA })
  @ApiErrorResponses('invalid_request', 'weak_password', 'conflict', ...ADMIN_ERRORS)
  async create(@Body() body: unknown): Promise<AdminUser> {
    return toAdminUser(await this.users.create(newUserInput(body)));
  }

  @Get(':username')
  @ApiOperation({ summary: 'One user.' })
  @ApiParam({ name: 'username', type: 'string' })
  @ApiOkResponse({ schema: ADMIN_USER_SCHEMA })
  @ApiErrorResponses('invalid_request', 'not_found', ...ADMIN_ERRORS)
  @Header('Cache-Control', 'no-store')
  async get(@Param('username') username: string): Promise<AdminUser> {
    return toAdminUser(await this.users.get(username));
  }

  @Patch(':username')
  @ApiOperation({
    summary: 'Changes a user; what is taken away applies to their live tokens and sockets at once.',
  })
  @ApiParam({ name: 'username', type: 'string' })
  @ApiBody({ schema: ADMIN_USER_PATCH_SCHEMA })
  @ApiOkResponse({ schema: ADMIN_USER_SCHEMA })
  @ApiErrorResponses('invalid_request', 'weak_password', 'not_found', 'conflict', ...ADMIN_ERRORS)
  async update(
    @Param('username') username: string,
    @Body() body: unknown,
    @ActingAdmin() acting: ActingAs,
  ): Promise<AdminUser> {
    return toAdminUser(await this.users.update(username, userPatch(body), acting));
  }

  @Delete(':username')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a user, their sessions and sockets ended first.' })
  @ApiParam({ name: 'username', type: 'string' })
  @ApiNoContentResponse({ description: 'the user is removed' })
  @ApiErrorResponses('invalid_request', 'not_found', 'conflict', ...ADMIN_ERRORS)
  async remove(@Param('username') username: string, @ActingAdmin() acting: ActingAs): Promise<void> {
    await this.users.remove(username, acting);
  }
}
