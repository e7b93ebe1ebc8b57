import { isAuthError } from '@ioauth/auth-core';
import { CONNECT_ERROR_CODES, type ConnectErrorCode, type ConnectErrorData } from '@ioauth/contracts';

/** The error socket.io sends as `connect_error`, with `err.data` as shared/CONTRACT.md says. */
export type ConnectError = Error & { data: ConnectErrorData };

const ALIASES: Record<string, ConnectErrorCode> = {
  invalid_token: 'token_invalid',
  service_unavailable: 'unavailable',
};

/**
 * Translates a refusal into a `connect_error`: an `AuthError` keeps its code and fixed message; anything else is
 * `unavailable`, since it is the server's fault, with a message that says nothing about the cause.
 */
export function connectError(error: unknown): ConnectError {
  let data: ConnectErrorData = {
    code: 'unavailable',
    message: 'authentication is unavailable: try again later',
  };
  if (isAuthError(error)) {
    const code = (CONNECT_ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ConnectErrorCode)
      : ALIASES[error.code];
    if (code !== undefined) data = { code, message: error.message };
  }
  return Object.assign(new Error(data.message), { data });
}
