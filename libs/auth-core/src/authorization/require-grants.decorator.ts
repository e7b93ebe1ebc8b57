import { SetMetadata } from '@nestjs/common';

/** Metadata key of `@RequireScopes`. */
export const REQUIRED_SCOPES = 'ioauth:required-scopes';
/** Metadata key of `@RequireRoles`. */
export const REQUIRED_ROLES = 'ioauth:required-roles';

/** Requires every listed scope, on an HTTP route or a socket event handler (or their class). */
export const RequireScopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** Requires every listed role, on an HTTP route or a socket event handler (or their class). */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Whether a token's `scope` and `roles` carry everything required. */
export function hasGrants(
  claims: { scope: string; roles: readonly string[] },
  required: { scopes?: readonly string[] | undefined; roles?: readonly string[] | undefined },
): boolean {
  const scopes = claims.scope.split(' ');
  return (
    (required.scopes ?? []).every((scope) => scopes.includes(scope)) &&
    (required.roles ?? []).every((role) => claims.roles.includes(role))
  );
}
