import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import {
  IOAUTH_CLOCK,
  IOAUTH_EXTERNAL_VERIFIER,
  IOAUTH_RATE_LIMIT_STORE,
  IOAUTH_REVOCATION_BUS,
} from './auth-core.constants.js';
import {
  AUTH_CORE_OPTIONS,
  AUTH_CORE_OPTIONS_TYPE,
  AuthCoreConfigurableModule,
} from './auth-core.module-definition.js';
import type { AuthCoreOptions } from './auth-core.options.js';
import { parseAuthCoreOptions, type AuthCoreSettings } from './auth-core.options.schema.js';
import { AUTH_CORE_SETTINGS, REVOCATION_LOG } from './auth-core.settings.js';
import { systemClock, type Clock } from './clock.js';
import { AuthEvents } from './events/auth-events.js';
import { IoauthJwtService } from './jwt/ioauth-jwt.service.js';
import { KeyStore } from './keys/key-store.js';
import { MemoryRateLimitStore } from './rate-limit/rate-limit.store.js';
import { InProcessRevocationBus, type RevocationBus } from './revocation/revocation.js';
import { RevocationList } from './revocation/revocation-list.js';
import { RevocationService } from './revocation/revocation.service.js';
import { RevocationSync } from './revocation/revocation-sync.js';
import { TokenService } from './tokens/token.service.js';
import { ExternalTokenVerifier } from './verify-only/external-token.verifier.js';

/**
 * How often every process re-reads the managed key set anyway, in case a rotation's announcement was lost (Redis
 * down for a moment, or `keys rotate` run without `REDIS_URL`).
 */
const KEY_SET_REFRESH_INTERVAL = 60_000;

/**
 * ioauth's token core: `KeyStore`, `TokenService`, the verify-only `ExternalTokenVerifier`, `JwtService` bound to
 * ioauth's keys and rules, and revocation (`RevocationService`, kept in step with the `revocationLog` by
 * `RevocationSync`). The backends are options with in-process defaults; `@ioauth/redis` and `@ioauth/store` supply
 * the shared ones. Global by default, so feature modules inject its services without importing it again.
 */
@Module({
  providers: [
    {
      provide: AUTH_CORE_SETTINGS,
      useFactory: (options: AuthCoreOptions) => parseAuthCoreOptions(options),
      inject: [AUTH_CORE_OPTIONS],
    },
    { provide: IOAUTH_CLOCK, useValue: systemClock },
    {
      provide: KeyStore,
      useFactory: ({ keySetStorage, keySetBus, ...settings }: AuthCoreSettings, clock: Clock) =>
        KeyStore.create({
          config: settings,
          clock,
          ...(keySetStorage ? { storage: keySetStorage } : {}),
          ...(keySetBus ? { bus: keySetBus } : {}),
          refreshInterval: KEY_SET_REFRESH_INTERVAL,
        }),
      inject: [AUTH_CORE_SETTINGS, IOAUTH_CLOCK],
    },
    {
      provide: IOAUTH_EXTERNAL_VERIFIER,
      useFactory: (settings: AuthCoreSettings, clock: Clock) => ExternalTokenVerifier.create(settings, clock),
      inject: [AUTH_CORE_SETTINGS, IOAUTH_CLOCK],
    },
    {
      provide: IoauthJwtService,
      useFactory: (keys: KeyStore, settings: AuthCoreSettings, clock: Clock) =>
        new IoauthJwtService(keys, settings, clock),
      inject: [KeyStore, AUTH_CORE_SETTINGS, IOAUTH_CLOCK],
    },
    { provide: JwtService, useExisting: IoauthJwtService },
    TokenService,
    {
      provide: IOAUTH_REVOCATION_BUS,
      useFactory: (settings: AuthCoreSettings) => settings.revocationBus ?? new InProcessRevocationBus(),
      inject: [AUTH_CORE_SETTINGS],
    },
    {
      provide: REVOCATION_LOG,
      useFactory: (settings: AuthCoreSettings) => settings.revocationLog ?? null,
      inject: [AUTH_CORE_SETTINGS],
    },
    {
      provide: IOAUTH_RATE_LIMIT_STORE,
      useFactory: (settings: AuthCoreSettings, clock: Clock) =>
        settings.rateLimitStore ?? new MemoryRateLimitStore(clock),
      inject: [AUTH_CORE_SETTINGS, IOAUTH_CLOCK],
    },
    {
      provide: RevocationList,
      useFactory: (bus: RevocationBus, settings: AuthCoreSettings, clock: Clock) =>
        new RevocationList(bus, clock, (settings.accessTokenTtl + settings.clockTolerance) * 1000),
      inject: [IOAUTH_REVOCATION_BUS, AUTH_CORE_SETTINGS, IOAUTH_CLOCK],
    },
    { provide: AuthEvents, useValue: new AuthEvents() },
    RevocationService,
    RevocationSync,
  ],
  exports: [
    AuthEvents,
    RevocationService,
    IOAUTH_RATE_LIMIT_STORE,
    IOAUTH_REVOCATION_BUS,
    RevocationList,
    IOAUTH_CLOCK,
    IOAUTH_EXTERNAL_VERIFIER,
    KeyStore,
    IoauthJwtService,
    JwtService,
    TokenService,
  ],
})
export class AuthCoreModule extends AuthCoreConfigurableModule implements OnApplicationShutdown {
  constructor(@Inject(KeyStore) private readonly keys: KeyStore) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }

  /**
   * Mounts the module with options given in code. They are validated here, before any provider runs, so a bad
   * value stops the boot at once.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof AUTH_CORE_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseAuthCoreOptions(input);
    return super.forRoot(options);
  }
}
