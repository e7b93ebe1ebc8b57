/** The parts of an app's options, one per module, plus the app's own. */
export type Section = 'app' | 'core' | 'store' | 'sessions' | 'http' | 'ws' | 'observability' | 'redis';

/** What one environment variable sets: an option of one or more sections. */
export interface Variable {
  sections: readonly Section[];
  option: string;
}

/**
 * Every environment variable of the contract and the module options it sets. The names and their validation
 * messages are the apps' interface; the modules themselves never read the environment.
 */
export const IOAUTH_ENV = {
  HOST: { sections: ['app'], option: 'host' },
  PORT: { sections: ['app'], option: 'port' },
  IOAUTH_DATA_DIR: { sections: ['core', 'store'], option: 'dataDir' },
  IOAUTH_DEMO: { sections: ['app'], option: 'demo' },
  DATABASE_URL: { sections: ['store'], option: 'databaseUrl' },
  REDIS_URL: { sections: ['redis'], option: 'url' },
  IOAUTH_ISSUER: { sections: ['core'], option: 'issuer' },
  IOAUTH_AUDIENCE: { sections: ['core'], option: 'audience' },
  IOAUTH_ACCESS_TOKEN_TTL: { sections: ['core'], option: 'accessTokenTtl' },
  IOAUTH_REFRESH_TOKEN_TTL: { sections: ['sessions'], option: 'refreshTokenTtl' },
  IOAUTH_SESSION_MAX_AGE: { sections: ['sessions'], option: 'sessionMaxAge' },
  IOAUTH_JWT_ALG: { sections: ['core'], option: 'algorithm' },
  IOAUTH_JWT_SECRET: { sections: ['core'], option: 'secret' },
  IOAUTH_JWT_PRIVATE_KEY: { sections: ['core'], option: 'privateKey' },
  IOAUTH_JWT_PRIVATE_KEY_FILE: { sections: ['core'], option: 'privateKeyFile' },
  IOAUTH_CLOCK_TOLERANCE: { sections: ['core'], option: 'clockTolerance' },
  IOAUTH_MAX_TOKEN_BYTES: { sections: ['core'], option: 'maxTokenBytes' },
  IOAUTH_LOGIN_IP_LIMIT: { sections: ['http'], option: 'loginIpLimit' },
  IOAUTH_LOGIN_USER_LIMIT: { sections: ['sessions'], option: 'loginUserLimit' },
  IOAUTH_PASSWORD_MIN_LENGTH: { sections: ['store'], option: 'passwordMinLength' },
  IOAUTH_REFRESH_IP_LIMIT: { sections: ['http'], option: 'refreshIpLimit' },
  IOAUTH_REFRESH_COOKIE: { sections: ['http'], option: 'refreshCookie' },
  IOAUTH_METRICS: { sections: ['observability'], option: 'metrics' },
  LOG_LEVEL: { sections: ['observability'], option: 'logLevel' },
  IOAUTH_API_DOCS: { sections: ['app'], option: 'apiDocs' },
  IOAUTH_TRUST_PROXY: { sections: ['http', 'ws'], option: 'trustProxy' },
  IOAUTH_HANDSHAKE_IP_LIMIT: { sections: ['ws'], option: 'handshakeIpLimit' },
  IOAUTH_ALLOW_QUERY_TOKEN: { sections: ['ws'], option: 'allowQueryToken' },
  IOAUTH_VERIFY_SECRET: { sections: ['core'], option: 'verifySecret' },
  IOAUTH_VERIFY_JWKS_URL: { sections: ['core'], option: 'verifyJwksUrl' },
  IOAUTH_VERIFY_JWKS_FILE: { sections: ['core'], option: 'verifyJwksFile' },
  IOAUTH_VERIFY_ISSUER: { sections: ['core'], option: 'verifyIssuer' },
  IOAUTH_VERIFY_AUDIENCE: { sections: ['core'], option: 'verifyAudience' },
  IOAUTH_SUBJECT_CLAIM: { sections: ['core'], option: 'subjectClaim' },
  IOAUTH_REQUIRE_EXP: { sections: ['core'], option: 'requireExp' },
} as const satisfies Record<string, Variable>;

/** The name of an environment variable of the contract. */
export type IoauthEnvName = keyof typeof IOAUTH_ENV;

const entries = Object.entries(IOAUTH_ENV) as [IoauthEnvName, Variable][];

/** The variable that sets `option` of `section`, if any. */
export function variableOf(section: Section, option: string): IoauthEnvName | undefined {
  return entries.find(
    ([, variable]) => variable.option === option && variable.sections.includes(section),
  )?.[0];
}

/** The text of every set variable, by section and option; an empty variable counts as unset. */
export function sectionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<Section, Record<string, string>> {
  const sections = {
    app: {},
    core: {},
    store: {},
    sessions: {},
    http: {},
    ws: {},
    observability: {},
    redis: {},
  } as Record<Section, Record<string, string>>;
  for (const [name, variable] of entries) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    for (const section of variable.sections) sections[section][variable.option] = value;
  }
  return sections;
}
