import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { AUTH_HTTP_SETTINGS } from '../auth-http.constants.js';
import type { AuthHttpSettings } from '../auth-http.options.schema.js';

// One spelling per meaning of a `trust proxy` value; undefined for `true` or a function, which the
// configuration never takes.
function canonical(value: unknown): string | undefined {
  if (value === undefined || value === false || value === 0) return 'none';
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? `hops:${value}` : undefined;
  const entries = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!entries?.every((entry) => typeof entry === 'string')) return undefined;
  return entries
    .map((entry: string) => entry.trim().toLowerCase())
    .sort()
    .join(',');
}

/** Whether an Express `trust proxy` setting trusts the same proxies as the `trustProxy` option. */
export function sameTrustProxy(setting: unknown, trustProxy: AuthHttpSettings['trustProxy']): boolean {
  const actual = canonical(setting);
  return actual !== undefined && actual === canonical(trustProxy);
}

/**
 * Warns at start-up when the Express app's `trust proxy` setting is not `AuthHttpModule`'s `trustProxy` option
 * (`IOAUTH_TRUST_PROXY` in ioauth's apps). The per-IP login limit counts `request.ip`, which Express derives from
 * that setting: `runHttpApp` sets it, and an app of your own that mounts `AuthHttpModule` must set it too, or the
 * limit counts a proxy as one client (not set) or lets a client pick its own address (`true`; OWASP ASVS V2.2.1).
 */
@Injectable()
export class TrustProxyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('ioauth');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(AUTH_HTTP_SETTINGS) private readonly settings: AuthHttpSettings,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    // No HTTP server (a testing module), or not Express (Fastify takes its `trustProxy` when it is created).
    if (adapter?.getType() !== 'express') return;
    const setting = (adapter.getInstance() as { get(name: string): unknown }).get('trust proxy');
    if (!sameTrustProxy(setting, this.settings.trustProxy)) {
      this.logger.warn(
        "the Express setting 'trust proxy' differs from AuthHttpModule's trustProxy option (IOAUTH_TRUST_PROXY), " +
          "and the login limit counts the address it yields: call app.set('trust proxy', trustProxy) before listening",
      );
    }
  }
}
