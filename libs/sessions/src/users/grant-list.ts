import { AuthError } from '@ioauth/auth-core';

/** Most scopes, or roles, one user may hold: a token carries them all. */
export const MAX_GRANTS = 100;
const MAX_GRANT_LENGTH = 128;

// RFC 6749 section 3.3 scope-token: printable ASCII but space, '"' and '\'. Roles follow the same rule, so that both
// travel in a token and a log line as they are.
const GRANT = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Reads a list of scopes or roles sent by a client or an operator: an array of distinct scope-tokens, in the order
 * given, duplicates dropped.
 * @throws AuthError `invalid_request` naming the field, never quoting the value.
 */
export function parseGrantList(value: unknown, field: 'scopes' | 'roles'): string[] {
  if (!Array.isArray(value) || value.length > MAX_GRANTS)
    throw new AuthError('invalid_request', `${field} must be an array of at most ${MAX_GRANTS} strings`);
  for (const item of value)
    if (typeof item !== 'string' || item.length > MAX_GRANT_LENGTH || !GRANT.test(item))
      throw new AuthError(
        'invalid_request',
        `each of ${field} must be 1 to ${MAX_GRANT_LENGTH} printable ASCII characters, without space, quote or backslash`,
      );
  return [...new Set(value as string[])];
}

/** Whether `after` lacks a scope or role that `before` had. */
export function lostGrants(
  before: { scopes: readonly string[]; roles: readonly string[] },
  after: { scopes: readonly string[]; roles: readonly string[] },
): boolean {
  const lacks = (was: readonly string[], now: readonly string[]) => was.some((grant) => !now.includes(grant));
  return lacks(before.scopes, after.scopes) || lacks(before.roles, after.roles);
}
