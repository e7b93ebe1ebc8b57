import { isIoauthError } from '@ioauth/client';

/** What the page says when `SessionTokens.resume` could not ask the server: the login form shows instead. */
export function resumeFailedText(error: unknown): string {
  if (!isIoauthError(error))
    return 'Your session could not be restored. Log in, or reload the page to try again.';
  const why: Record<string, string> = {
    service_unavailable: 'the server cannot be reached',
    rate_limited: 'the server is refusing requests for a while',
    forbidden: 'the server does not accept requests from this page’s address',
  };
  return `Your session could not be restored: ${why[error.code] ?? error.message} (${error.code}). Log in, or reload the page to try again.`;
}

/** "Signed in on N devices". */
export function devicesHeadingText(count: number): string {
  return `Signed in on ${count} ${count === 1 ? 'device' : 'devices'}`;
}

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: readonly [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** A readable name for a login's `User-Agent`, such as "Firefox on Linux"; the raw string when it names neither. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser === undefined && system === undefined) return userAgent.slice(0, 60);
  return `${browser ?? 'A browser'} on ${system ?? 'an unknown system'}`;
}

/** What the devices section says when listing or ending sessions failed. */
export function devicesErrorText(error: unknown): string {
  if (!isIoauthError(error)) return 'The devices could not be updated.';
  if (error.code === 'not_found') return 'That device was already signed out (not_found).';
  if (error.code === 'service_unavailable')
    return 'The server cannot be reached: try again in a moment (service_unavailable).';
  return `The devices could not be updated: ${error.message} (${error.code}).`;
}

/** What the password form says when `SessionTokens.changePassword` failed. */
export function passwordErrorText(error: unknown): string {
  if (!isIoauthError(error)) return 'Not changed: something unexpected happened.';
  const why: Record<string, string> = {
    invalid_credentials: 'the current password is wrong',
    weak_password: 'the new password is too short or too common',
    rate_limited: 'too many attempts, wait a minute and try again',
    service_unavailable: 'the server cannot be reached, try again in a moment',
  };
  return `Not changed: ${why[error.code] ?? error.message} (${error.code}).`;
}

/** The grants a token carries, as the session view shows them. */
export function grantsText(grants: { scope: readonly string[]; roles: readonly string[] }): string {
  const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(' '));
  return `scopes: ${list(grants.scope)} · roles: ${list(grants.roles)}`;
}
