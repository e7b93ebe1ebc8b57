import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { AccessTokenClaims } from '@ioauth/contracts';
import type { ActingAs } from '@ioauth/sessions';

/**
 * Who makes an admin change, for `UserAdminService`: the user of the Bearer token, who may not lock themself out;
 * nobody for the local admin key (the CLI on the server's machine), which `AdminGuard` lets in without a user.
 */
export const ActingAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): ActingAs => {
  const claims = context.switchToHttp().getRequest<{ user?: AccessTokenClaims }>().user;
  return claims ? { admin: claims.sub } : {};
});
