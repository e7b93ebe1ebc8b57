import { AuthError } from '../auth.error.js';

/** The protected header of a compact JWS, once it passed `readJwsHeader`. */
export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// RFC 8725 section 3.10 and OWASP ASVS V3.5.3: key material is never taken from the token itself.
const KEY_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
const CACHE_LIMIT = 256;

// Tokens from one key share their header segment byte for byte, so parsing it once per key keeps JSON work off
// the per-token path. Only well-formed headers are cached, and the cache is bounded: a stream of made-up headers
// costs a re-parse each, never memory.
const cache = new Map<string, JwsHeader>();

function invalid(message: string): AuthError {
  return new AuthError('token_invalid', message);
}

/**
 * Checks the outer shape of a compact JWS (size first, before any parsing) and returns its protected header.
 * @throws AuthError `token_invalid` for an oversized or malformed token, a `crit` header (no extension is
 *   understood, RFC 7515 section 4.1.11), or a header that carries key material.
 */
export function readJwsHeader(token: unknown, maxBytes: number): JwsHeader {
  if (typeof token !== 'string') throw invalid('token must be a string');
  if (token.length > maxBytes) throw invalid('token is too large');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || second === token.length - 1 || token.indexOf('.', second + 1) !== -1) {
    throw invalid('token must be a signed JWT of three segments');
  }
  const segment = token.slice(0, first);
  const cached = cache.get(segment);
  if (cached) return cached;
  const header = parseHeader(segment);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(segment, header);
  return header;
}

function parseHeader(segment: string): JwsHeader {
  if (!BASE64URL.test(segment)) throw invalid('token header is not base64url');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch (error) {
    throw new AuthError('token_invalid', 'token header is not JSON', { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw invalid('token header is not a JSON object');
  }
  const fields = header as Record<string, unknown>;
  if (typeof fields['alg'] !== 'string') throw invalid('token header has no algorithm');
  if (fields['kid'] !== undefined && typeof fields['kid'] !== 'string')
    throw invalid('token key id is not a string');
  if (fields['typ'] !== undefined && typeof fields['typ'] !== 'string')
    throw invalid('token type is not a string');
  if (fields['crit'] !== undefined)
    throw invalid('token requires an extension this server does not understand');
  if (KEY_HEADERS.some((name) => fields[name] !== undefined)) throw invalid('token carries key material');
  return fields as unknown as JwsHeader;
}

/** Compares a `typ` header with the expected media type as RFC 7515 section 4.1.9 says. */
export function typMatches(actual: string | undefined, expected: string): boolean {
  if (actual === undefined) return false;
  const normalized = actual.toLowerCase();
  const wanted = expected.toLowerCase();
  return normalized === wanted || normalized === `application/${wanted}`;
}
