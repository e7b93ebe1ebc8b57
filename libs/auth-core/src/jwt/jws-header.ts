import { AuthError } from '../auth.error.js';

/** The protected header of a compact JWS, once it passed `readJwsHeader`. */
export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

// The base64url alphabet with no padding (RFC 7515 section 2), over the whole token: dots are told apart below.
const JWS_ALPHABET = /^[A-Za-z0-9_.-]+$/;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Value of each base64url character, indexed by its char code.
const BASE64URL_VALUES = new Uint8Array(128);
for (let value = 0; value < 64; value += 1) BASE64URL_VALUES[BASE64URL_ALPHABET.charCodeAt(value)] = value;
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
 * @throws AuthError `token_invalid` for an oversized or malformed token, a segment that is not canonical base64url,
 *   a `crit` header (no extension is understood, RFC 7515 section 4.1.11), or a header that carries key material.
 */
export function readJwsHeader(token: unknown, maxBytes: number): JwsHeader {
  if (typeof token !== 'string') throw invalid('token must be a string');
  if (token.length > maxBytes) throw invalid('token is too large');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (
    first <= 0 ||
    second <= first + 1 ||
    second === token.length - 1 ||
    token.indexOf('.', second + 1) !== -1
  ) {
    throw invalid('token must be a signed JWT of three segments');
  }
  // One token, one encoding: base64url without padding (RFC 7515 section 2) whose unused low bits are zero
  // (RFC 4648 section 3.5). A lenient decoder lets byte-different strings carry one signature, which defeats
  // anything keyed by the token's text (deny lists, caches, replay checks, logs matched by hash). Checked before
  // any key lookup or signature work.
  if (
    !JWS_ALPHABET.test(token) ||
    !endsCanonically(token, 0, first) ||
    !endsCanonically(token, first + 1, second) ||
    !endsCanonically(token, second + 1, token.length)
  ) {
    throw invalid('token is not canonical base64url');
  }
  const segment = token.slice(0, first);
  const cached = cache.get(segment);
  if (cached) return cached;
  const header = parseHeader(segment);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(segment, header);
  return header;
}

/**
 * Whether the base64url segment `token[start, end)` has a length and last character that some bytes encode to: a
 * length of 4n+1 never does, and one of 4n+2 or 4n+3 leaves 4 or 2 low bits of the last character unused, zero.
 */
function endsCanonically(token: string, start: number, end: number): boolean {
  const rest = (end - start) % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const unused = rest === 2 ? 0b1111 : 0b11;
  return ((BASE64URL_VALUES[token.charCodeAt(end - 1)] as number) & unused) === 0;
}

function parseHeader(segment: string): JwsHeader {
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
