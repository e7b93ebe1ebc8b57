import { LoggerModule } from 'nestjs-pino';

/**
 * Every place a secret could travel in a request or an error, blanked before a line is written (OWASP ASVS
 * V7.1.1): credentials in headers, cookies, and token or password fields of a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.secret',
];

/** Structured JSON logs through pino: one line per request with its status and time, audit events as fields. */
export const loggingModule = LoggerModule.forRoot({
  pinoHttp: {
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The request line is enough; bodies and query strings are never logged (a legacy ?token= would land there).
    serializers: {
      req: (req: { method?: string; url?: string; id?: unknown }) => ({
        id: req.id,
        method: req.method,
        path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
      }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
  },
});
