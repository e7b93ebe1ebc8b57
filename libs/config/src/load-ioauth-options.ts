import { join } from 'node:path';

import { z } from 'zod';

import {
  optionFields,
  OptionsError,
  parseAuthCoreOptions,
  parseOptions,
  type AuthCoreSettings,
} from '@ioauth/auth-core';
import { parseAuthHttpOptions, type AuthHttpSettings } from '@ioauth/auth-http';
import { parseWsAuthOptions, type WsAuthOptions } from '@ioauth/gateway';
import { parseObservabilityOptions, type ObservabilitySettings } from '@ioauth/observability';
import { parseRedisOptions } from '@ioauth/redis';
import { parseSessionsOptions, type SessionsSettings } from '@ioauth/sessions';
import { parseStoreOptions, type StoreOptions } from '@ioauth/store';

import { ConfigError, issuesOf, type ConfigIssue } from './config.error.js';
import { sectionsFromEnv, type IoauthEnvName, type Section } from './ioauth-env.js';
import { listenHost } from './listen-host.js';

// The local admin credential in IOAUTH_DATA_DIR (`LocalAdminFile` of @ioauth/auth-http), which the CLI reads.
const LOCAL_ADMIN_FILE = 'admin-api.json';
const DEFAULT_DATA_DIR = './.ioauth';

const appOptionsSchema = z.object({
  host: listenHost,
  port: optionFields.wholeNumber(0, 65535, 3000),
  demo: optionFields.flag(false),
  apiDocs: optionFields.flag(false),
});

/**
 * Each module's options as an app's environment sets them, validated, with the defaults of the contract. Hand each
 * part to its module's `forRoot` (or `forRootAsync`, to add backends).
 */
export interface IoauthEnvOptions {
  /** Listen address (`HOST`): an IP address or a host name. */
  host: string;
  /** Listen port (`PORT`). */
  port: number;
  /** Seed the demo users (`IOAUTH_DEMO`). */
  demo: boolean;
  /** Serve the API documents (`IOAUTH_API_DOCS`). */
  apiDocs: boolean;
  core: AuthCoreSettings;
  store: StoreOptions;
  sessions: SessionsSettings;
  /** With the embedded store, `localAdminFile` is `admin-api.json` in `IOAUTH_DATA_DIR`, where the CLI finds it. */
  http: AuthHttpSettings;
  ws: Pick<WsAuthOptions, 'handshakeIpLimit' | 'allowQueryToken' | 'trustProxy'>;
  observability: ObservabilitySettings;
  /** Redis of a cluster (`REDIS_URL`), namespaced by the issuer; undefined for a single process. */
  redis: { url: string; namespace: string } | undefined;
}

/**
 * Reads and validates every ioauth variable of an environment, for apps. Empty variables count as unset.
 * @param defaults values that apply unless the environment sets the variable (`npm start` turns demo mode on).
 * @throws ConfigError naming every bad variable at once, never its value.
 */
export function loadIoauthOptions(
  env: Readonly<Record<string, string | undefined>> = process.env,
  defaults: Partial<Record<IoauthEnvName, string>> = {},
): IoauthEnvOptions {
  const sections = sectionsFromEnv({ ...defaults, ...env });
  const issues: ConfigIssue[] = [];
  const parse = <T>(section: Section, parser: (input: Record<string, string>) => T): T | undefined => {
    try {
      return parser(sections[section]);
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      issues.push(...issuesOf(section, error.issues));
      return undefined;
    }
  };
  const app = parse('app', (input) => parseOptions('app', appOptionsSchema, input));
  const core = parse('core', parseAuthCoreOptions);
  const store = parse('store', parseStoreOptions);
  const sessions = parse('sessions', parseSessionsOptions);
  const http = parse('http', parseAuthHttpOptions);
  const ws = parse('ws', parseWsAuthOptions);
  const observability = parse('observability', parseObservabilityOptions);
  const redis =
    sections.redis['url'] === undefined
      ? undefined
      : parse('redis', (input) => parseRedisOptions({ ...input, namespace: core?.issuer ?? 'ioauth' }));
  if (core && sessions) issues.push(...lifetimeIssues(core, sessions));
  if (issues.length > 0 || !app || !core || !store || !sessions || !http || !ws || !observability)
    throw new ConfigError(issues);
  const { url, namespace } = redis ?? {};
  const { handshakeIpLimit, allowQueryToken, trustProxy } = ws;
  return {
    ...app,
    core,
    store,
    sessions,
    http: { ...http, ...localAdmin(store) },
    ws: { handshakeIpLimit, allowQueryToken, trustProxy },
    observability,
    redis: url && namespace ? { url, namespace } : undefined,
  };
}

// The embedded database is held by one process, so the CLI uses that process's admin API, with the key it writes
// beside the database; with DATABASE_URL the CLI opens the database itself, and no key is written.
function localAdmin(store: StoreOptions): Pick<AuthHttpSettings, 'localAdminFile'> {
  if (store.databaseUrl !== undefined) return {};
  return { localAdminFile: join(store.dataDir ?? DEFAULT_DATA_DIR, LOCAL_ADMIN_FILE) };
}

// Rules between modules: a session must outlive the access tokens it issues.
function lifetimeIssues(core: AuthCoreSettings, sessions: SessionsSettings): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const message = 'must not be shorter than IOAUTH_ACCESS_TOKEN_TTL';
  if (sessions.refreshTokenTtl < core.accessTokenTtl)
    issues.push({ variable: 'IOAUTH_REFRESH_TOKEN_TTL', option: 'refreshTokenTtl', message });
  if (sessions.sessionMaxAge < core.accessTokenTtl)
    issues.push({ variable: 'IOAUTH_SESSION_MAX_AGE', option: 'sessionMaxAge', message });
  return issues;
}
