import { AuthError } from '@ioauth/auth-core';
import { normalizeUsername } from '@ioauth/store';

/**
 * A username given by an admin or an operator, as the store keeps it (`normalizeUsername`), checked before
 * anything is read or written.
 * @throws AuthError `invalid_request` for one no user can have, never quoting it.
 */
export function parseUsername(raw: unknown): string {
  const username = typeof raw === 'string' ? normalizeUsername(raw) : undefined;
  if (username === undefined)
    throw new AuthError(
      'invalid_request',
      'the username is empty, too long, or holds a colon or control character',
    );
  return username;
}
