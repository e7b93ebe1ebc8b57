import { Module, type DynamicModule } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import {
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  IOAUTH_EXTERNAL_VERIFIER,
  IOAUTH_RATE_LIMIT_STORE,
  IOAUTH_REVOCATION_BUS,
} from './auth-core.constants.js';
import {
  AUTH_CORE_OPTIONS,
  AUTH_CORE_OPTIONS_TYPE,
  AuthCoreConfigurableModule,
} from './auth-core.module-definition.js';
import { systemClock, type Clock } from './clock.js';
import type { IoauthConfig, IoauthConfigInput } from './config/ioauth-config.js';
import { parseIoauthConfig } from './config/load-config.js';
import { IoauthJwtService } from './jwt/ioauth-jwt.service.js';
import { KeyStore } from './keys/key-store.js';
import { MemoryRateLimitStore } from './rate-limit/rate-limit.store.js';
import { InProcessRevocationBus, type RevocationBus } from './revocation/revocation.js';
import { RevocationList } from './revocation/revocation-list.js';
import { TokenService } from './tokens/token.service.js';
import { ExternalTokenVerifier } from './verify-only/external-token.verifier.js';

/**
 * ioauth's signing configuration and every JWT operation: the validated `IoauthConfig`, the `KeyStore`,
 * `TokenService`, the verify-only `ExternalTokenVerifier`, and `JwtService` bound to ioauth's keys and rules.
 * Global by default, so feature modules inject them without importing this module again.
 */
@Module({
  providers: [
    {
      provide: IOAUTH_CONFIG,
      useFactory: (input: IoauthConfigInput) => parseIoauthConfig(input),
      inject: [AUTH_CORE_OPTIONS],
    },
    { provide: IOAUTH_CLOCK, useValue: systemClock },
    {
      provide: KeyStore,
      useFactory: (config: IoauthConfig, clock: Clock) => KeyStore.create({ config, clock }),
      inject: [IOAUTH_CONFIG, IOAUTH_CLOCK],
    },
    {
      provide: IOAUTH_EXTERNAL_VERIFIER,
      useFactory: (config: IoauthConfig, clock: Clock) => ExternalTokenVerifier.create(config, clock),
      inject: [IOAUTH_CONFIG, IOAUTH_CLOCK],
    },
    {
      provide: IoauthJwtService,
      useFactory: (keys: KeyStore, config: IoauthConfig, clock: Clock) =>
        new IoauthJwtService(keys, config, clock),
      inject: [KeyStore, IOAUTH_CONFIG, IOAUTH_CLOCK],
    },
    { provide: JwtService, useExisting: IoauthJwtService },
    TokenService,
    { provide: IOAUTH_REVOCATION_BUS, useFactory: () => new InProcessRevocationBus() },
    {
      provide: IOAUTH_RATE_LIMIT_STORE,
      useFactory: (clock: Clock) => new MemoryRateLimitStore(clock),
      inject: [IOAUTH_CLOCK],
    },
    {
      provide: RevocationList,
      useFactory: (bus: RevocationBus, config: IoauthConfig, clock: Clock) =>
        new RevocationList(bus, clock, (config.accessTokenTtl + config.clockTolerance) * 1000),
      inject: [IOAUTH_REVOCATION_BUS, IOAUTH_CONFIG, IOAUTH_CLOCK],
    },
  ],
  exports: [
    IOAUTH_RATE_LIMIT_STORE,
    IOAUTH_REVOCATION_BUS,
    RevocationList,
    IOAUTH_CONFIG,
    IOAUTH_CLOCK,
    IOAUTH_EXTERNAL_VERIFIER,
    KeyStore,
    IoauthJwtService,
    JwtService,
    TokenService,
  ],
})
export class AuthCoreModule extends AuthCoreConfigurableModule {
  /**
   * Mounts the module with options given in code (or read from the environment with `configInputFromEnv`).
   * The options are validated here, before any provider runs, so a bad value stops the boot at once.
   * @throws ConfigError naming every bad field.
   */
  static override forRoot(options: typeof AUTH_CORE_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseIoauthConfig(input);
    return super.forRoot(options);
  }
}
