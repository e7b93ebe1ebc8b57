// Longest `Cookie` header read: Node refuses request headers past 16 KiB altogether; a refresh cookie is 58 bytes.
const MAX_HEADER_LENGTH = 16_384;

/**
 * The value of the first cookie named `name` in a `Cookie` request header (RFC 6265 section 5.4: `name=value` pairs
 * separated by `; `, the most specific path first), its surrounding double quotes dropped, or undefined when there is
 * none. Nothing is URL-decoded: the cookies read here hold base64url only.
 */
export function readCookie(header: unknown, name: string): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}
