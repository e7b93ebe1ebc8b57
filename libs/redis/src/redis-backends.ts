import type { OnApplicationShutdown } from '@nestjs/common';
import type { createAdapter } from '@socket.io/redis-adapter';

import { systemClock } from '@ioauth/auth-core';

import { publishingThroughOutages } from './adapter-publisher.js';
import type { IoauthRedisSettings } from './redis.options.schema.js';
import { closeRedis, connectRedis, type RedisClient, type RedisQueueBound } from './redis-connection.js';
import { RedisKeySetBus } from './redis-key-set.bus.js';
import { RedisRateLimitStore } from './redis-rate-limit.store.js';
import { RedisRevocationBus } from './redis-revocation.bus.js';

/** A socket.io adapter factory, as `server.adapter()` takes it. */
export type SocketIoAdapterFactory = ReturnType<typeof createAdapter>;

/**
 * The backends a cluster shares through one Redis, for `AuthCoreModule` (`revocationBus`, `keySetBus`,
 * `rateLimitStore`) and `WsAuthModule` (`adapter`). Each is made on first request, with the connections it needs
 * (a subscribed connection can run nothing else), and every connection is closed at shutdown.
 */
export class RedisBackends implements OnApplicationShutdown {
  private readonly made = new Map<string, Promise<unknown>>();
  private readonly connections: Promise<RedisClient>[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(
    /** The shared command connection: rate limits and publishes, and readiness checks it. */
    readonly client: RedisClient,
    private readonly settings: IoauthRedisSettings,
  ) {}

  /** Revocations across processes, on `ioauth:<namespace>:revocations`. */
  revocationBus(): Promise<RedisRevocationBus> {
    return this.once('revocations', async () => {
      const { bus, close } = await RedisRevocationBus.create(this.client, this.settings.namespace);
      this.closers.push(close);
      return bus;
    });
  }

  /** Key-set changes across processes, for generated (rotatable) keys. */
  keySetBus(): Promise<RedisKeySetBus> {
    return this.once('key-set', async () => {
      const { bus, close } = await RedisKeySetBus.create(this.client, this.settings.namespace);
      this.closers.push(close);
      return bus;
    });
  }

  /** Rate-limit counters every process shares. */
  rateLimitStore(): RedisRateLimitStore {
    return new RedisRateLimitStore(this.client, this.settings.clock ?? systemClock, this.settings.namespace);
  }

  /**
   * `@socket.io/redis-adapter` on two connections of its own, keyed `ioauth:<namespace>:socket.io`, whose
   * broadcasts during a Redis outage fail quietly instead of ending the process (see `publishingThroughOutages`).
   */
  socketIoAdapter(): Promise<SocketIoAdapterFactory> {
    return this.once('socket.io', async () => {
      const [pub, sub, adapter] = await Promise.all([
        // Its publishes wait to be written rather than time out unsent: a lost broadcast or disconnect is silent.
        this.connect('length'),
        this.connect(),
        import('@socket.io/redis-adapter'),
      ]);
      return adapter.createAdapter(publishingThroughOutages(pub), sub, {
        key: `ioauth:${this.settings.namespace}:socket.io`,
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.closers.map((close) => close()));
    const connections = await Promise.allSettled(this.connections);
    await Promise.all(
      connections.flatMap((result) => (result.status === 'fulfilled' ? [closeRedis(result.value)] : [])),
    );
    await closeRedis(this.client);
  }

  private connect(bound?: RedisQueueBound): Promise<RedisClient> {
    const connection = connectRedis(this.settings.url, bound);
    this.connections.push(connection);
    return connection;
  }

  private once<T>(name: string, make: () => Promise<T>): Promise<T> {
    let made = this.made.get(name) as Promise<T> | undefined;
    if (!made) {
      made = make();
      this.made.set(name, made);
    }
    return made;
  }
}
