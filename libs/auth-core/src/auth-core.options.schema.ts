import { z } from 'zod';

import { JWT_ALGORITHMS, type AuthCoreOptions } from './auth-core.options.js';
import { optionFields } from './options/option-fields.js';
import { parseOptions, type OptionIssue } from './options/options.error.js';

const { wholeNumber, flag, text, hmacSecret, jwksUrl } = optionFields;

// The backends are objects a team supplies; their shape is the interfaces' business, not the schema's.
const backend = z.custom<object>((value) => typeof value === 'object' && value !== null, {
  error: 'must be an object',
});

const authCoreOptionsSchema = z.object({
  issuer: text(512).default('ioauth'),
  audience: text(512).default('ioauth'),
  accessTokenTtl: wholeNumber(1, 86_400, 900),
  clockTolerance: wholeNumber(0, 300, 5),
  maxTokenBytes: wholeNumber(1024, 65_536, 8192),
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
  dataDir: text(4096).default('./.ioauth'),
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
  keySetStorage: backend.optional(),
  keySetBus: backend.optional(),
  revocationBus: backend.optional(),
  revocationLog: backend.optional(),
  rateLimitStore: backend.optional(),
});

type Parsed = z.output<typeof authCoreOptionsSchema>;
type Backends = 'keySetStorage' | 'keySetBus' | 'revocationBus' | 'revocationLog' | 'rateLimitStore';

/** `AuthCoreOptions` with every default filled in. */
export type AuthCoreSettings = Omit<Parsed, Backends> & Pick<AuthCoreOptions, Backends>;

const present = (value: unknown) => value !== undefined;

// Rules between options, checked on the raw input so that they are reported together with the field errors.
function crossFieldIssues(input: Record<string, unknown>): OptionIssue[] {
  const issues: OptionIssue[] = [];
  const algorithm = input['algorithm'] ?? 'ES256';
  if (algorithm === 'HS256') {
    if (!present(input['secret']))
      issues.push({ option: 'secret', message: 'is required when `algorithm`=HS256' });
    if (present(input['privateKey']) || present(input['privateKeyFile'])) {
      issues.push({
        option: present(input['privateKey']) ? 'privateKey' : 'privateKeyFile',
        message: 'is only used with `algorithm`=ES256 or RS256',
      });
    }
  } else if (present(input['secret'])) {
    issues.push({ option: 'secret', message: 'is only used with `algorithm`=HS256' });
  }
  if (present(input['privateKey']) && present(input['privateKeyFile'])) {
    issues.push({ option: 'privateKeyFile', message: 'cannot be set together with `privateKey`' });
  }
  const verifySources = ['verifySecret', 'verifyJwksUrl', 'verifyJwksFile'].filter((option) =>
    present(input[option]),
  );
  if (verifySources.length > 1) {
    issues.push({
      option: verifySources[1] as string,
      message: 'set only one of `verifySecret`, `verifyJwksUrl` and `verifyJwksFile`',
    });
  }
  return issues;
}

/**
 * Validates `AuthCoreModule`'s options and fills in the defaults.
 * @throws OptionsError naming every bad option at once.
 */
export function parseAuthCoreOptions(
  input: AuthCoreOptions | Record<string, unknown> = {},
): AuthCoreSettings {
  return parseOptions('AuthCoreModule', authCoreOptionsSchema, input, crossFieldIssues) as AuthCoreSettings;
}
