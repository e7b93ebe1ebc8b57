import { AuthError } from '../auth.error.js';

/** 9999-12-31T23:59:59Z in seconds: the last instant an ISO 8601 year of four digits can name. */
const LAST_NUMERIC_DATE = 253_402_300_799;

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/**
 * Checks the time claims of verified claims as RFC 7519 section 2 defines a NumericDate: seconds since the epoch.
 * Each one present must be a finite number from 0 to the end of year 9999. That refuses `1e400` (which
 * `JSON.parse` reads as Infinity, and `exp: Infinity` never expires) and milliseconds, the usual mistake of a
 * backend minting with `Date.now()` or `microtime()`: any millisecond count after March 1978 is past year 9999.
 * `iat` may not be later than now plus the clock tolerance: revocation by user refuses the tokens issued before an
 * instant, and a token dated in the future would escape it.
 * @param now Current time in seconds.
 * @throws AuthError `token_invalid`.
 */
export function checkNumericDates(claims: Record<string, unknown>, now: number, tolerance: number): void {
  for (const name of TIME_CLAIMS) {
    const value = claims[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= LAST_NUMERIC_DATE))
      throw new AuthError('token_invalid', `token ${name} is not a time in seconds`);
  }
  const iat = claims['iat'];
  if (typeof iat === 'number' && iat > now + tolerance)
    throw new AuthError('token_invalid', 'token is issued in the future');
}
