import jwt from 'jsonwebtoken';

import { AuthError } from '../auth.error.js';

const { JsonWebTokenError, NotBeforeError, TokenExpiredError } = jwt;

/**
 * Translates an error of `jsonwebtoken` (through `JwtService`) into an `AuthError` by its class, with a fixed message:
 * its own messages may quote configuration values, and their wording is not an interface. The original stays as
 * `cause` for logs.
 */
export function toAuthError(error: unknown): AuthError {
  if (error instanceof TokenExpiredError)
    return new AuthError('token_expired', 'token has expired', { cause: error });
  if (error instanceof NotBeforeError)
    return new AuthError('token_invalid', 'token is not valid yet', { cause: error });
  if (error instanceof JsonWebTokenError)
    return new AuthError('token_invalid', 'token does not verify', { cause: error });
  return new AuthError('token_invalid', 'token could not be verified', { cause: error });
}
