import { AuthError } from '@ioauth/auth-core';
import type { NewUserInput, UserPatch } from '@ioauth/sessions';

const NEW_USER_FIELDS = new Set(['username', 'password', 'scopes', 'roles']);
const PATCH_FIELDS = new Set(['scopes', 'roles', 'disabled', 'password']);

// Only the fields of the contract: one misspelt (`scope`, `role`) or out of place (`disabled` at creation) is refused
// rather than ignored, so an admin never believes a change was made that was not (OWASP ASVS 5.0 V15.3.3, mass
// assignment). Values are checked by UserAdminService.
function fieldsOf(body: unknown, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AuthError('invalid_request', 'the body must be a JSON object');
  if (Object.keys(body).some((field) => !allowed.has(field)))
    throw new AuthError('invalid_request', `the body may only hold ${[...allowed].join(', ')}`);
  return body as Record<string, unknown>;
}

/** The body of `POST /admin/users`. @throws AuthError `invalid_request` for what is not an object of its fields. */
export function newUserInput(body: unknown): NewUserInput {
  const { username, password, scopes, roles } = fieldsOf(body, NEW_USER_FIELDS);
  return { username, password, scopes, roles } as NewUserInput;
}

/** The body of `PATCH /admin/users/{username}`. @throws AuthError `invalid_request` likewise. */
export function userPatch(body: unknown): UserPatch {
  const { scopes, roles, disabled, password } = fieldsOf(body, PATCH_FIELDS);
  return { scopes, roles, disabled, password };
}
