/** Longest username accepted, in UTF-8 bytes, checked before any lookup or hashing. */
export const MAX_USERNAME_BYTES = 128;

/**
 * The one username normalisation of ioauth, applied on every path in (login, CLI, seeding): Unicode NFC (so that
 * the same name typed on different systems is one name, RFC 7613 section 3.3), then lower case, locale-free
 * (usernames are case-insensitive). Returns undefined for a name that is empty, too long, or holds control
 * characters or a colon (which HTTP Basic cannot carry, RFC 7617 section 2).
 */
export function normalizeUsername(raw: string): string | undefined {
  if (Buffer.byteLength(raw, 'utf8') > MAX_USERNAME_BYTES * 4) return undefined;
  const name = raw.normalize('NFC').toLowerCase();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (name.length === 0 || /[\u0000-\u001f\u007f:]/.test(name)) return undefined;
  if (Buffer.byteLength(name, 'utf8') > MAX_USERNAME_BYTES) return undefined;
  return name;
}
