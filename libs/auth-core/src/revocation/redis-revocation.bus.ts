import { Logger } from '@nestjs/common';

import type { RedisClient } from '../redis/redis-connection.js';
import type { Revocation, RevocationBus } from './revocation.js';

const logger = new Logger('RedisRevocationBus');

function isRevocation(value: unknown): value is Revocation {
  const candidate = value as Partial<Record<string, unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate['sub'] === 'string' &&
    typeof candidate['reason'] === 'string' &&
    typeof candidate['at'] === 'number' &&
    (candidate['kind'] === 'user' ||
      (candidate['kind'] === 'session' && typeof candidate['sid'] === 'string'))
  );
}

/**
 * Revocations across processes over Redis pub/sub. A revocation reaches this process's listeners at once, then
 * every other process through Redis; listeners must be idempotent, as they may hear it twice.
 */
export class RedisRevocationBus implements RevocationBus {
  private readonly listeners = new Set<(revocation: Revocation) => void>();

  private constructor(
    private readonly publisher: RedisClient,
    private readonly channel: string,
  ) {}

  /**
   * Subscribes a second connection (pub/sub needs its own) to `ioauth:<namespace>:revocations`, so that
   * deployments sharing one Redis never revoke each other's sessions, and returns the bus.
   */
  static async create(
    publisher: RedisClient,
    namespace: string,
  ): Promise<{ bus: RedisRevocationBus; close(): Promise<void> }> {
    const bus = new RedisRevocationBus(publisher, `ioauth:${namespace}:revocations`);
    const subscriber = publisher.duplicate();
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    await subscriber.subscribe(bus.channel, (message) => bus.receive(message));
    return { bus, close: () => subscriber.close() };
  }

  async publish(revocation: Revocation): Promise<void> {
    this.deliver(revocation);
    await this.publisher.publish(this.channel, JSON.stringify(revocation));
  }

  subscribe(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(message: string): void {
    let revocation: unknown;
    try {
      revocation = JSON.parse(message);
    } catch {
      revocation = undefined;
    }
    if (isRevocation(revocation)) this.deliver(revocation);
    else logger.warn('ignored a malformed message on the revocation channel');
  }

  private deliver(revocation: Revocation): void {
    for (const listener of this.listeners) listener(revocation);
  }
}
