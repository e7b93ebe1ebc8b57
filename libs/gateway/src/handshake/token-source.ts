import type { Socket } from 'socket.io';

import { AuthError, bearerToken } from '@ioauth/auth-core';

const absent = (value: unknown) => value === undefined || value === null || value === '';

/**
 * The token of a handshake, from the first source that has one (shared/CONTRACT.md): `auth.token`, then the
 * `Authorization: Bearer` header, then `?token=` only when allowed, since query strings end up in access logs
 * (RFC 6750 section 2.3).
 * @throws AuthError `token_invalid` for a token of the wrong type or a non-Bearer header. Its size is checked by
 * verification, before any parsing.
 */
export function handshakeToken(
  handshake: Pick<Socket['handshake'], 'auth' | 'headers' | 'query'>,
  allowQuery: boolean,
): string | undefined {
  const auth: unknown = handshake.auth;
  let token: unknown =
    typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
  if (absent(token)) {
    const header = handshake.headers.authorization;
    if (typeof header === 'string' && header !== '') {
      token = bearerToken(header);
      if (token === undefined)
        throw new AuthError('token_invalid', 'the Authorization header is not a Bearer token');
    }
  }
  if (absent(token) && allowQuery) token = handshake.query['token'];
  if (absent(token)) return undefined;
  if (typeof token !== 'string') throw new AuthError('token_invalid', 'the token must be a string');
  return token;
}
