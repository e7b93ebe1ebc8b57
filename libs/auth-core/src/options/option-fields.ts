import { isIP } from 'node:net';

import { z } from 'zod';

// Every message below is fixed text: a value, even a wrong one, may be a secret and is never echoed
// (OWASP ASVS V7.1.1 / V14.3).

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const wholeNumber = (min: number, max: number, fallback?: number) => {
  const inner = z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value),
    fallback === undefined ? inner : inner.default(fallback),
  );
};

const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => {
      if (typeof value !== 'string') return value;
      const text = value.trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return value;
    },
    z.boolean({ error: 'must be true or false' }).default(fallback),
  );

const text = (maxLength: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`);

// RFC 7518 section 3.2: an HMAC key at least as long as the hash output. A PEM string is refused so that a public
// key can never be configured as an HMAC secret (the algorithm-confusion attack, RFC 8725 section 2.1).
const hmacSecret = z
  .string({ error: 'must be text' })
  .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes')
  .refine((value) => !value.includes('-----BEGIN'), 'must be a random secret, not a PEM key');

const url = (protocols: readonly string[], description: string) =>
  z.string({ error: 'must be a URL' }).refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a ${description} URL`);

const jwksUrl = z.string({ error: 'must be a URL' }).refine((value) => {
  try {
    const parsed = new URL(value);
    return (
      parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))
    );
  } catch {
    return false;
  }
}, 'must be an https URL (plain http only on loopback)');

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const isProxyAddress = (entry: string) => {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const width = Number(bits);
  return /^\d{1,3}$/.test(bits) && width <= (family === 4 ? 32 : 128);
};

// Same forms as Express's `trust proxy` setting, minus `true`: trusting every hop lets any client pick its own
// address and escape the per-IP limits (OWASP ASVS V2.2.1).
const trustProxy = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (text === 'false' || text === '') return false;
    if (/^\d+$/.test(text)) return Number(text);
    return text.split(',').map((entry) => entry.trim());
  },
  z
    .custom<false | number | string[]>(
      (value) =>
        value === false ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 16) ||
        (Array.isArray(value) &&
          value.length >= 1 &&
          value.length <= 64 &&
          value.every((entry) => typeof entry === 'string' && isProxyAddress(entry))),
      {
        error:
          'must be false, a hop count from 1 to 16, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal',
      },
    )
    .default(false),
);

/**
 * The field rules ioauth's modules validate their options with, each with fixed messages. A value may be given typed
 * or as the text of an environment variable.
 */
export const optionFields = { wholeNumber, flag, text, hmacSecret, url, jwksUrl, trustProxy };
