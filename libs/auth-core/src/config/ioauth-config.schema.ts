import { isIP } from 'node:net';

import { z } from 'zod';

import { JWT_ALGORITHMS, type IoauthConfig, type IoauthConfigInput } from './ioauth-config.js';

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

/** Field rules of `IoauthConfig`; rules that tie fields together live in `crossFieldIssues`. */
export const ioauthConfigSchema = z.object({
  port: wholeNumber(0, 65535, 3000),
  dataDir: text(4096).default('./.ioauth'),
  demo: flag(false),
  databaseUrl: url(['postgres:', 'postgresql:'], 'postgres://').optional(),
  redisUrl: url(['redis:', 'rediss:'], 'redis:// or rediss://').optional(),
  issuer: text(512).default('ioauth'),
  audience: text(512).default('ioauth'),
  accessTokenTtl: wholeNumber(1, 86_400, 900),
  refreshTokenTtl: wholeNumber(60, 31_536_000, 1_209_600),
  sessionMaxAge: wholeNumber(60, 31_536_000, 2_592_000),
  algorithm: z
    .enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')}` })
    .default('ES256'),
  secret: hmacSecret.optional(),
  privateKey: z
    .string({ error: 'must be text' })
    .refine(
      (value) => value.includes('-----BEGIN') || value.trim().startsWith('{'),
      'must be a PEM or JWK key',
    )
    .optional(),
  privateKeyFile: text(4096).optional(),
  clockTolerance: wholeNumber(0, 300, 5),
  maxTokenBytes: wholeNumber(1024, 65_536, 8192),
  loginIpLimit: wholeNumber(1, 100_000, 30),
  loginUserLimit: wholeNumber(1, 10_000, 10),
  // ASVS 5.0 V6.2.1 asks for at least 8 characters and V6.2.9 for at least 64 to be allowed: a minimum beyond that
  // would refuse the passphrases the policy should welcome.
  passwordMinLength: wholeNumber(8, 64, 8),
  refreshIpLimit: wholeNumber(1, 100_000, 60),
  metrics: flag(false),
  trustProxy,
  handshakeIpLimit: wholeNumber(1, 1_000_000, 300),
  allowQueryToken: flag(false),
  verifySecret: hmacSecret.optional(),
  verifyJwksUrl: jwksUrl.optional(),
  verifyJwksFile: text(4096).optional(),
  verifyIssuer: text(512).optional(),
  verifyAudience: text(512).optional(),
  subjectClaim: z
    .string({ error: 'must be text' })
    .regex(
      /^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,7}$/,
      'must be a dotted claim path such as user.username',
    )
    .default('sub'),
  requireExp: flag(true),
}) satisfies z.ZodType<IoauthConfig, unknown>;

/** A rule broken by a combination of fields: the field to name and a fixed message. */
export interface ConfigIssue {
  field: keyof IoauthConfig;
  message: string;
}

const present = (value: unknown) => value !== undefined;

/**
 * Rules between fields, checked on the raw input so that they are reported together with the field errors
 * (every bad variable at once).
 */
export function crossFieldIssues(input: IoauthConfigInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const algorithm = input.algorithm ?? 'ES256';
  if (algorithm === 'HS256') {
    if (!present(input.secret))
      issues.push({ field: 'secret', message: 'is required when IOAUTH_JWT_ALG=HS256' });
    if (present(input.privateKey) || present(input.privateKeyFile)) {
      issues.push({
        field: present(input.privateKey) ? 'privateKey' : 'privateKeyFile',
        message: 'is only used with IOAUTH_JWT_ALG=ES256 or RS256',
      });
    }
  } else if (present(input.secret)) {
    issues.push({ field: 'secret', message: 'is only used with IOAUTH_JWT_ALG=HS256' });
  }
  if (present(input.privateKey) && present(input.privateKeyFile)) {
    issues.push({ field: 'privateKeyFile', message: 'cannot be set together with IOAUTH_JWT_PRIVATE_KEY' });
  }
  const verifySources = (['verifySecret', 'verifyJwksUrl', 'verifyJwksFile'] as const).filter((field) =>
    present(input[field]),
  );
  if (verifySources.length > 1) {
    issues.push({
      field: verifySources[1] as keyof IoauthConfig,
      message: 'set only one of IOAUTH_VERIFY_SECRET, IOAUTH_VERIFY_JWKS_URL and IOAUTH_VERIFY_JWKS_FILE',
    });
  }
  const access = Number(input.accessTokenTtl ?? 900);
  const refresh = Number(input.refreshTokenTtl ?? 1_209_600);
  if (Number.isFinite(access) && Number.isFinite(refresh) && refresh < access) {
    issues.push({ field: 'refreshTokenTtl', message: 'must not be shorter than IOAUTH_ACCESS_TOKEN_TTL' });
  }
  const maxAge = Number(input.sessionMaxAge ?? 2_592_000);
  if (Number.isFinite(access) && Number.isFinite(maxAge) && maxAge < access) {
    issues.push({ field: 'sessionMaxAge', message: 'must not be shorter than IOAUTH_ACCESS_TOKEN_TTL' });
  }
  return issues;
}
