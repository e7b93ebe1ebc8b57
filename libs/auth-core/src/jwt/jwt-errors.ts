import { AuthError } from '../auth.error.js';

/**
 * Translates an error of `jsonwebtoken` (through `JwtService`) into an `AuthError` with a fixed message: its own
 * messages may quote configuration values. The original stays as `cause` for logs.
 */
export function toAuthError(error: unknown): AuthError {
  const { name, message } = error as { name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (name === 'TokenExpiredError')
    return new AuthError('token_expired', 'token has expired', { cause: error });
  if (name === 'NotBeforeError')
    return new AuthError('token_invalid', 'token is not valid yet', { cause: error });
  if (name !== 'JsonWebTokenError')
    return new AuthError('token_invalid', 'token could not be verified', { cause: error });
  const reason = text.startsWith('invalid signature')
    ? 'token signature does not verify'
    : text.startsWith('jwt audience invalid')
      ? 'token audience is not accepted'
      : text.startsWith('jwt issuer invalid')
        ? 'token issuer is not accepted'
        : 'token is malformed';
  return new AuthError('token_invalid', reason, { cause: error });
}
