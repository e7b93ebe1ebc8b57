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

/**
 * What the login view says when `SessionTokens.logout` could not get the server to confirm. The page has forgotten
 * the tokens either way, but the session may still be live on the server until it expires: the user should know,
 * as on a shared computer.
 */
export function logoutFailedText(error: unknown): string {
  const code = isIoauthError(error) ? ` (${error.code})` : '';
  const why =
    isIoauthError(error) && error.code === 'rate_limited'
      ? 'the server is refusing requests for a while'
      : 'the server did not confirm it';
  return `Logged out of this page, but ${why}: the session may stay active on the server until it expires${code}.`;
}

// Why a session ended, by the contract's code (shared/CONTRACT.md).
const ENDED: Partial<Record<ErrorCode, string>> = {
  // The gateway says no more than `token_revoked`: name what can cause it.
  token_revoked: 'this session was ended from another device, by a password change or by an administrator',
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
