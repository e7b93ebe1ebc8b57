import type { DynamicModule } from '@nestjs/common';

import { AuthCoreModule, KeyStore, type AuthCoreOptions } from '@ioauth/auth-core';
import { WsAuthModule, type WsAuthOptions } from '@ioauth/gateway';
import { IoauthRedisModule, RedisBackends } from '@ioauth/redis';
import { SqlKeySetStorage, SqlRevocationLog, StoreModule } from '@ioauth/store';

import { withBuiltTemplate } from './app-files.js';
import type { IoauthEnvOptions } from './load-ioauth-options.js';

/**
 * The token core as an app's environment sets it up, with the backends that go with it: the store (when `store`
 * is true, or `DATABASE_URL` is set) for the key set and durable revocations, and Redis (`REDIS_URL`) for the
 * revocation and key-set buses and the rate limits every process shares.
 */
export function coreModules(options: IoauthEnvOptions, { store }: { store: boolean }): DynamicModule[] {
  const withStore = store || options.store.databaseUrl !== undefined;
  const { redis } = options;
  return [
    ...(withStore ? [StoreModule.forRoot(withBuiltTemplate(options.store))] : []),
    ...(redis ? [IoauthRedisModule.forRoot(redis)] : []),
    AuthCoreModule.forRootAsync({
      inject: [
        { token: SqlKeySetStorage, optional: true },
        { token: SqlRevocationLog, optional: true },
        { token: RedisBackends, optional: true },
      ],
      useFactory: async (
        keySetStorage: SqlKeySetStorage | undefined,
        revocationLog: SqlRevocationLog | undefined,
        backends: RedisBackends | undefined,
      ): Promise<AuthCoreOptions> => ({
        ...options.core,
        ...(keySetStorage ? { keySetStorage } : {}),
        ...(revocationLog ? { revocationLog } : {}),
        ...(backends
          ? {
              revocationBus: await backends.revocationBus(),
              rateLimitStore: backends.rateLimitStore(),
              // Only generated keys rotate; a configured key changes by a deploy.
              ...(KeyStore.managesKeys(options.core) ? { keySetBus: await backends.keySetBus() } : {}),
            }
          : {}),
      }),
    }),
  ];
}

/**
 * `WsAuthModule` with the handshake settings of the environment and, with `REDIS_URL`, the socket.io Redis
 * adapter; `policies` are the app's namespaces and rooms.
 */
export function wsAuthModule(options: IoauthEnvOptions, policies: WsAuthOptions = {}): DynamicModule {
  return WsAuthModule.forRootAsync({
    inject: [{ token: RedisBackends, optional: true }],
    useFactory: async (backends: RedisBackends | undefined): Promise<WsAuthOptions> => ({
      ...policies,
      ...options.ws,
      ...(backends ? { adapter: await backends.socketIoAdapter() } : {}),
    }),
  });
}
