import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import {
  IOAUTH_CLOCK,
  IOAUTH_CONFIG,
  IOAUTH_EXTERNAL_VERIFIER,
  IOAUTH_KEY_SET_STORAGE,
  IOAUTH_RATE_LIMIT_STORE,
  IOAUTH_REDIS,
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
import type { KeySetBus } from './keys/key-set.bus.js';
import type { KeySetStorage } from './keys/key-set.storage.js';
import { KeyStore } from './keys/key-store.js';
import { RedisKeySetBus } from './keys/redis-key-set.bus.js';
import { MemoryRateLimitStore } from './rate-limit/rate-limit.store.js';
import { RedisRateLimitStore } from './rate-limit/redis-rate-limit.store.js';
import { closeRedis, connectRedis, type RedisClient } from './redis/redis-connection.js';
import { RedisRevocationBus } from './revocation/redis-revocation.bus.js';
import { InProcessRevocationBus, type RevocationBus } from './revocation/revocation.js';
import { RevocationList } from './revocation/revocation-list.js';
import { RevocationService } from './revocation/revocation.service.js';
import { RevocationSync } from './revocation/revocation-sync.js';
import { TokenService } from './tokens/token.service.js';
import { ExternalTokenVerifier } from './verify-only/external-token.verifier.js';

// The revocation bus with what must be closed at shutdown (the Redis subscriber connection).
const REVOCATION_CHANNEL = 'IOAUTH:REVOCATION_CHANNEL';
interface RevocationChannel {
  bus: RevocationBus;
  close(): Promise<void>;
}

// The same for key-set changes: a Redis channel when managed keys are shared by a cluster, else none.
const KEY_SET_CHANNEL = 'IOAUTH:KEY_SET_CHANNEL';
interface KeySetChannel {
  bus: KeySetBus | undefined;
  close(): Promise<void>;
}

/**
 * How often every process re-reads the managed key set anyway, in case a rotation's announcement was lost (Redis
 * down for a moment, or `keys rotate` run without `REDIS_URL`).
 */
const KEY_SET_REFRESH_INTERVAL = 60_000;

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
      provide: KEY_SET_CHANNEL,
      useFactory: async (redis: RedisClient | null, config: IoauthConfig): Promise<KeySetChannel> =>
        redis && KeyStore.managesKeys(config)
          ? RedisKeySetBus.create(redis, config.issuer)
          : { bus: undefined, close: async () => undefined },
      inject: [IOAUTH_REDIS, IOAUTH_CONFIG],
    },
    {
      provide: KeyStore,
      // The storage comes from whichever module provides IOAUTH_KEY_SET_STORAGE (StoreModule: the database), so
      // that this library never depends on the store; keys.json under the data folder when none does.
      useFactory: (
        config: IoauthConfig,
        clock: Clock,
        channel: KeySetChannel,
        storage: KeySetStorage | undefined,
      ) =>
        KeyStore.create({
          config,
          clock,
          ...(storage ? { storage } : {}),
          ...(channel.bus ? { bus: channel.bus } : {}),
          refreshInterval: KEY_SET_REFRESH_INTERVAL,
        }),
      inject: [
        IOAUTH_CONFIG,
        IOAUTH_CLOCK,
        KEY_SET_CHANNEL,
        { token: IOAUTH_KEY_SET_STORAGE, optional: true },
      ],
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
    {
      provide: IOAUTH_REDIS,
      useFactory: (config: IoauthConfig) => (config.redisUrl ? connectRedis(config.redisUrl) : null),
      inject: [IOAUTH_CONFIG],
    },
    {
      provide: REVOCATION_CHANNEL,
      useFactory: async (redis: RedisClient | null, config: IoauthConfig): Promise<RevocationChannel> =>
        redis
          ? RedisRevocationBus.create(redis, config.issuer)
          : { bus: new InProcessRevocationBus(), close: async () => undefined },
      inject: [IOAUTH_REDIS, IOAUTH_CONFIG],
    },
    {
      provide: IOAUTH_REVOCATION_BUS,
      useFactory: (channel: RevocationChannel) => channel.bus,
      inject: [REVOCATION_CHANNEL],
    },
    {
      provide: IOAUTH_RATE_LIMIT_STORE,
      useFactory: (redis: RedisClient | null, clock: Clock, config: IoauthConfig) =>
        redis ? new RedisRateLimitStore(redis, clock, config.issuer) : new MemoryRateLimitStore(clock),
      inject: [IOAUTH_REDIS, IOAUTH_CLOCK, IOAUTH_CONFIG],
    },
    {
      provide: RevocationList,
      useFactory: (bus: RevocationBus, config: IoauthConfig, clock: Clock) =>
        new RevocationList(bus, clock, (config.accessTokenTtl + config.clockTolerance) * 1000),
      inject: [IOAUTH_REVOCATION_BUS, IOAUTH_CONFIG, IOAUTH_CLOCK],
    },
    RevocationService,
    RevocationSync,
  ],
  exports: [
    RevocationService,
    IOAUTH_REDIS,
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
export class AuthCoreModule extends AuthCoreConfigurableModule implements OnApplicationShutdown {
  constructor(
    @Inject(IOAUTH_REDIS) private readonly redis: RedisClient | null,
    @Inject(REVOCATION_CHANNEL) private readonly revocations: RevocationChannel,
    @Inject(KEY_SET_CHANNEL) private readonly keySetChanges: KeySetChannel,
    @Inject(KeyStore) private readonly keys: KeyStore,
  ) {
    super();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
    await this.keySetChanges.close();
    await this.revocations.close();
    if (this.redis) await closeRedis(this.redis);
  }

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
