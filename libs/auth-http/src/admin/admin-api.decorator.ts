import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';

import { ErrorBodyFilter } from '../http/error-body.filter.js';
import { AdminGuard } from './admin.guard.js';
import { LOCAL_ADMIN_HEADER } from './local-admin-key.js';

/** The refusals every admin route may answer, whoever calls it. */
export const ADMIN_ERRORS = [
  'invalid_token',
  'token_expired',
  'token_revoked',
  'forbidden',
  'service_unavailable',
] as const;

/** An admin API controller: `AdminGuard`, contract error bodies, and both ways in documented. */
export const AdminApi = (): ClassDecorator =>
  applyDecorators(
    UseFilters(ErrorBodyFilter),
    ApiTags('admin'),
    ApiBearerAuth(),
    ApiHeader({
      name: LOCAL_ADMIN_HEADER,
      required: false,
      description:
        'instead of a Bearer token: the key of the local admin file, for the CLI on the server machine; loopback only',
    }),
    UseGuards(AdminGuard),
  );
