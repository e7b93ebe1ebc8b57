import { ConfigError } from './config.error.js';
import { IOAUTH_ENV } from './ioauth-env.js';
import { loadIoauthOptions } from './load-ioauth-options.js';

// The tests speak of options by their names, as the cases read best; the environment has them as variables.
const env = (input: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(input).map(([option, value]) => {
      const entry = Object.entries(IOAUTH_ENV).find(([, variable]) => variable.option === option);
      if (!entry) throw new Error(`no variable sets ${option}`);
      return [entry[0], String(value)];
    }),
  );
const fromOptions = (input: Record<string, unknown> = {}) => loadIoauthOptions(env(input));

const SECRET = 's3cr3t-value-that-is-long-enough-for-hs256';

function configError(input: Record<string, unknown>): ConfigError {
  try {
    fromOptions(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadIoauthOptions', () => {
  it('fills in the defaults of the contract, module by module', () => {
    expect(loadIoauthOptions({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      demo: false,
      apiDocs: false,
      core: {
        issuer: 'ioauth',
        audience: 'ioauth',
        accessTokenTtl: 900,
        clockTolerance: 5,
        maxTokenBytes: 8192,
        algorithm: 'ES256',
        dataDir: './.ioauth',
        subjectClaim: 'sub',
        requireExp: true,
      },
      store: { dataDir: './.ioauth', passwordMinLength: 8 },
      sessions: { refreshTokenTtl: 1_209_600, sessionMaxAge: 2_592_000, loginUserLimit: 10 },
      http: {
        loginIpLimit: 30,
        refreshIpLimit: 60,
        trustProxy: false,
        refreshCookie: false,
        localAdminFile: '.ioauth/admin-api.json',
      },
      ws: { handshakeIpLimit: 300, allowQueryToken: false, trustProxy: false },
      observability: { metrics: false, logLevel: 'info' },
      redis: undefined,
    });
  });

  it('reads every variable from the environment as text, into the module it configures', () => {
    const options = loadIoauthOptions({
      HOST: '0.0.0.0',
      PORT: '8080',
      IOAUTH_API_DOCS: 'true',
      LOG_LEVEL: 'debug',
      IOAUTH_DEMO: 'true',
      IOAUTH_ISSUER: 'https://auth.example',
      IOAUTH_ACCESS_TOKEN_TTL: '60',
      IOAUTH_JWT_ALG: 'HS256',
      IOAUTH_JWT_SECRET: SECRET,
      IOAUTH_ALLOW_QUERY_TOKEN: '1',
      IOAUTH_REQUIRE_EXP: 'false',
      IOAUTH_TRUST_PROXY: '2',
      IOAUTH_REFRESH_COOKIE: 'true',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
      IOAUTH_VERIFY_JWKS_URL: 'https://php.example/jwks.json',
      IOAUTH_SUBJECT_CLAIM: 'user.username',
      IOAUTH_METRICS: 'true',
      UNRELATED: 'ignored',
    });
    expect(options).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      demo: true,
      apiDocs: true,
      core: {
        accessTokenTtl: 60,
        algorithm: 'HS256',
        secret: SECRET,
        requireExp: false,
        verifyJwksUrl: 'https://php.example/jwks.json',
        subjectClaim: 'user.username',
      },
      store: { databaseUrl: 'postgres://u:p@127.0.0.1:5432/test' },
      http: { trustProxy: 2, refreshCookie: true },
      ws: { allowQueryToken: true, trustProxy: 2 },
      observability: { metrics: true, logLevel: 'debug' },
      redis: { url: 'redis://127.0.0.1:6379', namespace: 'https://auth.example' },
    });
  });

  it('puts the local admin credential beside the embedded database, and writes none with DATABASE_URL', () => {
    expect(loadIoauthOptions({ IOAUTH_DATA_DIR: '/var/lib/ioauth' }).http.localAdminFile).toBe(
      '/var/lib/ioauth/admin-api.json',
    );
    const withPostgres = loadIoauthOptions({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/test' });
    expect(withPostgres.http).not.toHaveProperty('localAdminFile');
  });

  it('treats an empty variable as unset', () => {
    expect(loadIoauthOptions({ PORT: '', IOAUTH_JWT_SECRET: '' }).port).toBe(3000);
  });

  it('lets an app default a variable the environment leaves unset', () => {
    expect(loadIoauthOptions({}, { IOAUTH_DEMO: 'true' }).demo).toBe(true);
    expect(loadIoauthOptions({ IOAUTH_DEMO: 'false' }, { IOAUTH_DEMO: 'true' }).demo).toBe(false);
  });

  it.each([
    ['HOST', { host: 'my host' }, 'must be an IP address or a host name'],
    ['HOST', { host: 'http://0.0.0.0' }, 'must be an IP address or a host name'],
    ['HOST', { host: '0.0.0.0:3000' }, 'must be an IP address or a host name'],
    ['HOST', { host: '-bad.example' }, 'must be an IP address or a host name'],
    ['HOST', { host: `${'a'.repeat(64)}.example` }, 'must be an IP address or a host name'],
    ['LOG_LEVEL', { logLevel: 'verbose' }, 'must be one of fatal, error, warn, info, debug, trace, silent'],
    ['IOAUTH_API_DOCS', { apiDocs: 'on' }, 'must be true or false'],
    ['PORT', { port: 'eighty' }, 'must be a whole number'],
    ['PORT', { port: '70000' }, 'must be at most 65535'],
    ['IOAUTH_ACCESS_TOKEN_TTL', { accessTokenTtl: '0' }, 'must be at least 1'],
    ['IOAUTH_ACCESS_TOKEN_TTL', { accessTokenTtl: '1.5' }, 'must be a whole number'],
    ['IOAUTH_DEMO', { demo: 'yes' }, 'must be true or false'],
    ['IOAUTH_JWT_ALG', { algorithm: 'none' }, 'must be one of ES256, RS256, HS256'],
    ['IOAUTH_JWT_ALG', { algorithm: 'HS512' }, 'must be one of ES256, RS256, HS256'],
    ['IOAUTH_JWT_SECRET', { algorithm: 'HS256' }, 'is required when IOAUTH_JWT_ALG=HS256'],
    ['IOAUTH_JWT_SECRET', { algorithm: 'HS256', secret: 'short' }, 'must be at least 32 bytes'],
    [
      'IOAUTH_JWT_SECRET',
      {
        algorithm: 'HS256',
        secret: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
      },
      'must be a random secret, not a PEM key',
    ],
    ['IOAUTH_JWT_SECRET', { secret: SECRET }, 'is only used with IOAUTH_JWT_ALG=HS256'],
    ['IOAUTH_JWT_PRIVATE_KEY', { privateKey: 'not a key' }, 'must be a PEM or JWK key'],
    ['IOAUTH_JWT_PRIVATE_KEY_FILE', { privateKey: '{}', privateKeyFile: '/k.pem' }, 'cannot be set together'],
    ['DATABASE_URL', { databaseUrl: 'mysql://root@127.0.0.1/test' }, 'must be a postgres:// URL'],
    ['REDIS_URL', { url: '127.0.0.1:6379' }, 'must be a redis:// or rediss:// URL'],
    ['IOAUTH_VERIFY_JWKS_URL', { verifyJwksUrl: 'http://php.example/jwks.json' }, 'must be an https URL'],
    ['IOAUTH_VERIFY_SECRET', { verifySecret: 'short' }, 'must be at least 32 bytes'],
    [
      'IOAUTH_VERIFY_JWKS_URL',
      { verifySecret: SECRET, verifyJwksUrl: 'https://a.example/j' },
      'set only one of',
    ],
    ['IOAUTH_SUBJECT_CLAIM', { subjectClaim: 'user..name' }, 'must be a dotted claim path'],
    ['IOAUTH_REFRESH_TOKEN_TTL', { accessTokenTtl: 3600, refreshTokenTtl: 600 }, 'must not be shorter'],
    ['IOAUTH_SESSION_MAX_AGE', { accessTokenTtl: 3600, sessionMaxAge: 600 }, 'must not be shorter'],
    ['IOAUTH_MAX_TOKEN_BYTES', { maxTokenBytes: 100 }, 'must be at least 1024'],
    ['IOAUTH_ISSUER', { issuer: '  ' }, 'must not be empty'],
    ['IOAUTH_TRUST_PROXY', { trustProxy: 'true' }, 'must be false, a hop count'],
    ['IOAUTH_TRUST_PROXY', { trustProxy: '10.0.0.0/33' }, 'must be false, a hop count'],
    ['IOAUTH_TRUST_PROXY', { trustProxy: '0' }, 'must be false, a hop count'],
    ['IOAUTH_HANDSHAKE_IP_LIMIT', { handshakeIpLimit: '0' }, 'must be at least 1'],
    ['IOAUTH_PASSWORD_MIN_LENGTH', { passwordMinLength: '7' }, 'must be at least 8'],
    ['IOAUTH_PASSWORD_MIN_LENGTH', { passwordMinLength: '65' }, 'must be at most 64'],
    ['IOAUTH_REFRESH_IP_LIMIT', { refreshIpLimit: '0' }, 'must be at least 1'],
    ['IOAUTH_REFRESH_COOKIE', { refreshCookie: 'yes' }, 'must be true or false'],
  ])('stops on a bad %s, naming it', (variable, input, message) => {
    const error = configError(input);
    expect(error.message).toContain(`${variable} (`);
    expect(error.message).toContain(message);
  });

  it.each([
    ['http://127.0.0.1:8080/jwks.json'],
    ['http://localhost/jwks.json'],
    ['http://[::1]:9000/jwks.json'],
  ])('allows a plain http JWKS URL on loopback: %s', (url) => {
    expect(fromOptions({ verifyJwksUrl: url }).core.verifyJwksUrl).toBe(url);
  });

  it.each([['0.0.0.0'], ['::'], ['127.0.0.1'], ['::1'], ['localhost'], ['auth-1.internal.example']])(
    'listens on HOST=%s',
    (host) => {
      expect(loadIoauthOptions({ HOST: host }).host).toBe(host);
    },
  );

  it('reads LOG_LEVEL in any case', () => {
    expect(loadIoauthOptions({ LOG_LEVEL: 'WARN' }).observability.logLevel).toBe('warn');
  });

  it.each([
    ['false', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7', ['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']],
  ])('reads IOAUTH_TRUST_PROXY=%s', (value, expected) => {
    expect(loadIoauthOptions({ IOAUTH_TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });

  it('reports every bad variable at once', () => {
    const error = configError({ port: 'x', algorithm: 'HS256', demo: 'maybe', url: 'nope' });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual([
      'IOAUTH_DEMO',
      'IOAUTH_JWT_SECRET',
      'PORT',
      'REDIS_URL',
    ]);
  });

  it('never echoes a value, secret or not', () => {
    const leaked = 'hunter2-hunter2-hunter2';
    const error = configError({
      secret: `${leaked}-PEM-----BEGIN`,
      algorithm: `HS256${leaked}`,
      databaseUrl: `mysql://root:${leaked}@db/test`,
      verifySecret: leaked,
      port: leaked,
      issuer: leaked.repeat(40),
    });
    expect(error.message).not.toContain(leaked);
    expect(JSON.stringify(error.issues)).not.toContain(leaked);
  });
});
