import type { OptionIssue, OptionsError } from '@ioauth/auth-core';

import { variableOf, type Section } from './ioauth-env.js';

/** A bad environment variable: its name, the option it sets, and a fixed message. */
export interface ConfigIssue {
  variable: string;
  option: string;
  message: string;
}

// The section of each module's `OptionsError`, for one a module throws once it runs (an unreadable key file).
const SECTION_OF_MODULE: Readonly<Record<string, Section>> = {
  AuthCoreModule: 'core',
  StoreModule: 'store',
  SessionsModule: 'sessions',
  AuthHttpModule: 'http',
  WsAuthModule: 'ws',
  ObservabilityModule: 'observability',
  IoauthRedisModule: 'redis',
};

/** An `OptionsError` of a running module as the environment's error, naming its variables. */
export function configErrorOf(error: OptionsError): ConfigError {
  return new ConfigError(issuesOf(SECTION_OF_MODULE[error.module] ?? 'app', error.issues));
}

/** A module's issues, with the variables behind its options named instead (`secret` as `IOAUTH_JWT_SECRET`). */
export function issuesOf(section: Section, issues: readonly OptionIssue[]): ConfigIssue[] {
  return issues.map(({ option, message }) => ({
    variable: variableOf(section, option) ?? option,
    option,
    message: message.replace(/`([A-Za-z]+)`/g, (_text, name: string) => variableOf(section, name) ?? name),
  }));
}

/**
 * Thrown at start-up for a bad environment. Its message lists every bad variable by name and option, never by
 * value (OWASP ASVS V7.1.1: a value may be a secret).
 */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `Invalid ioauth configuration:\n${issues
        .map(({ variable, option, message }) => `  - ${variable} (${option}) ${message}`)
        .join('\n')}`,
    );
    this.name = new.target.name;
  }
}
