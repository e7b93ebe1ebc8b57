import { isIoauthError } from '@ioauth/client';
import type { ErrorCode } from '@ioauth/contracts';

/** What the login form says when `SessionTokens.login` fails. */
export function loginErrorText(error: unknown): string {
  if (!isIoauthError(error)) return 'Login failed: something unexpected happened.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong username or password.';
    case 'rate_limited':
      return 'Too many login attempts: wait a minute, then try again.';
    case 'service_unavailable':
      return 'The server cannot be reached: try again in a moment.';
    default:
      return `Login failed: ${error.message} (${error.code}).`;
  }
}

// Why a session ended, by the contract's code (shared/CONTRACT.md).
const ENDED: Partial<Record<ErrorCode, string>> = {
  token_revoked: 'the session was revoked',
  refresh_token_reused: 'the refresh token was used twice, so the session was revoked',
  token_expired: 'the session expired',
  invalid_token: 'the session is no longer valid',
  token_invalid: 'the server no longer accepts this session’s token',
  token_missing: 'the page has no token',
  forbidden: 'this account may not connect',
};

/** What the login view says after `IoauthSocket` reported `unauthorized`. */
export function signedOutText(error: unknown): string {
  if (!isIoauthError(error)) return 'Signed out.';
  return `Signed out: ${ENDED[error.code] ?? error.message} (${error.code}).`;
}

/** What the chat says when the server refused `chat:send`. */
export function sendErrorText(
  error: { code: ErrorCode; message: string },
  scopes: readonly string[],
): string {
  if (error.code === 'forbidden' && !scopes.includes('chat:write'))
    return 'forbidden: you cannot send (missing chat:write)';
  return `${error.code}: ${error.message}`;
}

/** `HH:MM:SS` in the reader's time zone. */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}
