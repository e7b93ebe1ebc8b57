import { MAX_PASSWORD_BYTES } from '@ioauth/store';

// base64 of the longest username and password, plus the scheme: anything longer is refused unread.
const MAX_HEADER_LENGTH = 2048;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Credentials read from an `Authorization: Basic` header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Reads HTTP Basic credentials per RFC 7617: the scheme case-insensitively, the user-pass as UTF-8, split at the
 * first colon only, so a password may contain colons (passport-http splits at every one, its issue #20). Returns
 * undefined for anything else: no header, another scheme, bad base64, invalid UTF-8, no colon, or over the caps.
 */
export function parseBasicAuthorization(header: unknown): BasicCredentials | undefined {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return undefined;
  const match = /^basic +([^ ]+) *$/i.exec(header);
  const encoded = match?.[1];
  if (!encoded || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const password = decoded.slice(colon + 1);
  if (password.length === 0 || Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return undefined;
  return { username: decoded.slice(0, colon), password };
}
