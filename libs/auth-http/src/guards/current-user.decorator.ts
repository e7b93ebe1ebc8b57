import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { AccessTokenClaims } from '@ioauth/contracts';

/** The verified claims of the request's access token, as `JwtAuthGuard` left them. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AccessTokenClaims =>
    context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user,
);
