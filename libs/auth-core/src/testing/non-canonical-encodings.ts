const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Ways to rewrite a compact JWS so that it decodes to its very bytes under a lenient base64 decoder, though
 * RFC 7515 section 2 allows none of them. The first changes the token only when its signature holds a `-` or `_`.
 */
export const NON_CANONICAL_ENCODINGS: [string, (token: string) => string][] = [
  [
    'a signature in standard base64',
    (token) => token.replace(/[^.]+$/, (signature) => signature.replace(/-/g, '+').replace(/_/g, '/')),
  ],
  [
    'a padded signature',
    (token) => `${token}${'='.repeat(4 - ((token.split('.')[2] as string).length % 4))}`,
  ],
  ['a padded payload', (token) => token.replace(/\.([^.]+)\./, (_match, payload: string) => `.${payload}=.`)],
  [
    'a stray low bit in the last character of the signature',
    (token) => `${token.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(token.slice(-1)) | 1]}`,
  ],
];

/** Whether the signature of a token holds a character that standard base64 writes differently. */
export const hasUrlSafeSignature = (token: string): boolean => /[-_]/.test(token.split('.')[2] as string);
