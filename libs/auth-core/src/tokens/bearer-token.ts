// RFC 6750 section 2.1: `Bearer`, one or more spaces, then a b64token.
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The token of an `Authorization: Bearer` header, or undefined when the header is not one. */
export function bearerToken(header: string): string | undefined {
  return BEARER.exec(header)?.[1];
}
