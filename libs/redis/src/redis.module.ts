import { Module, type DynamicModule } from '@nestjs/common';

import { IOAUTH_REDIS, IOAUTH_REDIS_SETTINGS } from './redis.constants.js';
import {
  IOAUTH_REDIS_OPTIONS,
  IOAUTH_REDIS_OPTIONS_TYPE,
  IoauthRedisConfigurableModule,
} from './redis.module-definition.js';
import type { IoauthRedisOptions } from './redis.options.js';
import { parseRedisOptions, type IoauthRedisSettings } from './redis.options.schema.js';
import { RedisBackends } from './redis-backends.js';
import { connectRedis, type RedisClient } from './redis-connection.js';

/**
 * One Redis for a cluster of ioauth processes: `RedisBackends` hands `AuthCoreModule` its revocation bus, key-set
 * bus and rate-limit store, and `WsAuthModule` its socket.io adapter; `IOAUTH_REDIS` is the connected client.
 * Global by default. Commands fail at once while Redis is down and wait at most 2 s for a reply.
 */
@Module({
  providers: [
    {
      provide: IOAUTH_REDIS_SETTINGS,
      useFactory: (options: IoauthRedisOptions) => parseRedisOptions(options),
      inject: [IOAUTH_REDIS_OPTIONS],
    },
    {
      provide: IOAUTH_REDIS,
      useFactory: (settings: IoauthRedisSettings) => connectRedis(settings.url),
      inject: [IOAUTH_REDIS_SETTINGS],
    },
    {
      provide: RedisBackends,
      useFactory: (client: RedisClient, settings: IoauthRedisSettings) => new RedisBackends(client, settings),
      inject: [IOAUTH_REDIS, IOAUTH_REDIS_SETTINGS],
    },
  ],
  exports: [IOAUTH_REDIS, RedisBackends],
})
export class IoauthRedisModule extends IoauthRedisConfigurableModule {
  /**
   * Mounts the module; the options are validated before any connection is made.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof IOAUTH_REDIS_OPTIONS_TYPE): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseRedisOptions(input);
    return super.forRoot(options);
  }
}
