import { Controller, Get, UseFilters, UseGuards } from '@nestjs/common';

import { RequireRoles, type AuthEvent } from '@ioauth/auth-core';
import { ErrorBodyFilter, JwtAuthGuard } from '@ioauth/auth-http';

import { AuditListener } from './audit.listener.js';

/** `GET /audit`: the audit trail, for users with the `auditor` role. */
@Controller('audit')
@UseFilters(ErrorBodyFilter)
@UseGuards(JwtAuthGuard)
export class AuditController {
  constructor(private readonly audit: AuditListener) {}

  @Get()
  @RequireRoles('auditor')
  recent(): readonly AuthEvent[] {
    return this.audit.recent();
  }
}
