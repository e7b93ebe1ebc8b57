import { createHash, randomBytes } from 'node:crypto';

const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new opaque refresh token: 256 random bits (RFC 9700 section 4.14, OWASP ASVS V3.2.2), and the hash under which
 * it is stored. The token itself is never stored: a plain SHA-256 suffices for a random 256-bit value, which no
 * dictionary can guess.
 */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** The stored form of a refresh token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether a value has the shape of a refresh token ioauth issued, checked before any lookup. */
export function isRefreshTokenShaped(value: unknown): value is string {
  return typeof value === 'string' && REFRESH_TOKEN.test(value);
}
