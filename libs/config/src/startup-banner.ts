import { resolve } from 'node:path';

import { isWildcardHost } from './listen-host.js';
import type { IoauthEnvOptions } from './load-ioauth-options.js';

/** What a started app serves, as `runHttpApp` finds it once the app listens. */
export interface StartupFacts {
  /** The app's URL from this machine (`app.getUrl()`): loopback when it listens on every interface. */
  url: string;
  /** The port it listens on (`PORT=0` picks one). */
  port: number;
  /** It serves the HTTP API of `AuthHttpModule`. */
  httpApi: boolean;
  /** It serves socket.io. */
  socketIo: boolean;
  /** It opened the store of `StoreModule`. */
  store: boolean;
}

// A URL as its host, port and path, without user, password or query (OWASP ASVS V7.1.1: no secret in a log line).
function withoutCredentials(text: string): string {
  const url = new URL(text);
  const path = url.pathname === '/' ? '' : decodeURIComponent(url.pathname);
  return `${url.host}${path}`;
}

function tokens({ core }: IoauthEnvOptions): string {
  if (core.verifySecret !== undefined) return 'verify-only: HS256 tokens of another backend (shared secret)';
  if (core.verifyJwksUrl !== undefined)
    return `verify-only: tokens of another backend (JWKS ${withoutCredentials(core.verifyJwksUrl)})`;
  if (core.verifyJwksFile !== undefined)
    return `verify-only: tokens of another backend (JWKS file ${resolve(core.verifyJwksFile)})`;
  if (core.algorithm === 'HS256') return 'HS256, configured secret';
  const configured = core.privateKey !== undefined || core.privateKeyFile !== undefined;
  return `${core.algorithm}, ${configured ? 'configured key' : 'generated keys'}`;
}

function store(options: IoauthEnvOptions, facts: StartupFacts): string {
  const { databaseUrl, dataDir = './.ioauth' } = options.store;
  if (databaseUrl !== undefined) return `PostgreSQL ${withoutCredentials(databaseUrl)}`;
  if (!facts.store) return 'none';
  return `embedded PGlite at ${resolve(dataDir, 'db')} (one process)`;
}

/**
 * The lines an app logs once it listens: where it listens, what it serves, and which store, Redis, demo users,
 * tokens and metrics it runs with. Hosts, ports, paths and names only: never a password, secret or key.
 */
export function startupBanner(options: IoauthEnvOptions, facts: StartupFacts): string[] {
  const { url, port } = facts;
  const everywhere = isWildcardHost(options.host);
  return [
    // e2e suites and scripts wait for this line: keep its start as it is.
    `serving on ${url}`,
    everywhere
      ? `  listening on every interface (${options.host} port ${port}); from this machine: ${url}`
      : `  listening on ${options.host} port ${port} only (HOST=0.0.0.0 for every interface)`,
    ...(facts.httpApi ? [`  HTTP API: ${url}/auth/login, JWKS ${url}/.well-known/jwks.json`] : []),
    ...(facts.httpApi && options.http.refreshCookie
      ? ['  refresh cookie: on (HttpOnly, SameSite=Strict; a page reload resumes the session)']
      : []),
    ...(facts.socketIo ? [`  socket.io: ${url.replace(/^http/, 'ws')}/socket.io/`] : []),
    `  health: ${url}/health/ready; metrics: ${options.observability.metrics ? `${url}/metrics` : 'off'}`,
    `  store: ${store(options, facts)}`,
    `  Redis: ${options.redis ? `${withoutCredentials(options.redis.url)} (shared by every process)` : 'none (one process)'}`,
    `  demo users: ${options.demo ? 'on (alice, bob, admin with documented passwords)' : 'off'}`,
    `  tokens: ${tokens(options)}`,
  ];
}
