import { Logger } from '@nestjs/common';

import type { RedisClient } from '../redis/redis-connection.js';
import type { KeySetBus, KeySetChange } from './key-set.bus.js';

const logger = new Logger('RedisKeySetBus');

// A thumbprint kid (RFC 7638, SHA-256, base64url): anything else on the channel is not ours.
const KID = /^[A-Za-z0-9_-]{43}$/;

function isKeySetChange(value: unknown): value is KeySetChange {
  const candidate = value as Partial<Record<string, unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate['kid'] === 'string' &&
    KID.test(candidate['kid'])
  );
}

/**
 * Key-set changes across processes over Redis pub/sub. Every subscriber hears a change, the publishing process's
 * included; listeners must be idempotent.
 */
export class RedisKeySetBus implements KeySetBus {
  private readonly listeners = new Set<(change: KeySetChange) => void>();

  private constructor(
    private readonly publisher: RedisClient,
    private readonly channel: string,
  ) {}

  /**
   * Subscribes a second connection (pub/sub needs its own) to `ioauth:<namespace>:keys`, so that deployments
   * sharing one Redis never reload each other's keys, and returns the bus.
   */
  static async create(
    publisher: RedisClient,
    namespace: string,
  ): Promise<{ bus: RedisKeySetBus; close(): Promise<void> }> {
    const bus = new RedisKeySetBus(publisher, `ioauth:${namespace}:keys`);
    const subscriber = publisher.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    await subscriber.subscribe(bus.channel, (message) => bus.receive(message));
    return { bus, close: () => subscriber.close() };
  }

  async publish(change: KeySetChange): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify({ kid: change.kid }));
  }

  subscribe(listener: (change: KeySetChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(message: string): void {
    let change: unknown;
    try {
      change = JSON.parse(message);
    } catch {
      change = undefined;
    }
    if (!isKeySetChange(change)) {
      logger.warn('ignored a malformed message on the key-set channel');
      return;
    }
    for (const listener of this.listeners) listener({ kid: change.kid });
  }
}
