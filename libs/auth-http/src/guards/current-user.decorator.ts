import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * What the route's guard left on `request.user`: behind `JwtAuthGuard`, the verified claims of the access token,
 * the team's own claims included; behind a login strategy's guard, the user its `validate()` returned. Type the
 * parameter with what you expect, such as `@CurrentUser() claims: AccessTokenClaims & { tenant: string }`.
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<{ user?: unknown }>().user,
);
