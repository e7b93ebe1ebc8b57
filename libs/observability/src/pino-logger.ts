import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

import type { LogLevel } from './log-level.js';

/**
 * Every place a secret could travel in a request or an error, blanked before a line is written (OWASP ASVS
 * V7.1.1): credentials in headers, cookies, and token or password fields of a logged object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-ioauth-local-admin"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.current_password',
  '*.new_password',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.secret',
];

/** How `createPinoLogger` writes. */
export interface PinoLoggerOptions {
  /** Lines below this level are dropped; default `info`. */
  level?: LogLevel;
  /** Human-readable lines instead of JSON; default: when standard output is a terminal. */
  pretty?: boolean;
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
}

// The request fields stay in the JSON line; on a terminal the message already says them.
const PRETTY_HIDDEN = 'pid,hostname,context,req,res,responseTime';

/**
 * The one pino logger of an app, secrets redacted: JSON lines, or on a terminal lines for people through
 * pino-pretty's stream in this thread (a worker-thread transport would add its start-up to the app's).
 */
export function createPinoLogger({
  level = 'info',
  pretty: human = process.stdout.isTTY === true,
  destination,
}: PinoLoggerOptions = {}): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (!human) return destination ? pino(options, destination) : pino(options);
  return pino(
    options,
    pretty({
      colorize: destination === undefined && process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: PRETTY_HIDDEN,
      messageFormat: '{if context}[{context}] {end}{msg}',
      // Synchronous, as pino's own default destination: a start-up error is written before the process exits.
      sync: true,
      ...(destination ? { destination } : {}),
    }),
  );
}
