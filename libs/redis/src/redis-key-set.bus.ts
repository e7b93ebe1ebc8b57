import type { KeySetBus, KeySetChange } from '@ioauth/auth-core';

import { channelName, RedisChannel } from './redis-channel.js';
import type { RedisClient } from './redis-connection.js';

// A thumbprint kid (RFC 7638, SHA-256, base64url): anything else on the channel is not ours.
const KID = /^[A-Za-z0-9_-]{43}$/;

function readChange(value: unknown): KeySetChange | undefined {
  const kid = (value as { kid?: unknown } | null | undefined)?.kid;
  return typeof value === 'object' && typeof kid === 'string' && KID.test(kid) ? { kid } : undefined;
}

/**
 * Key-set changes across processes over Redis pub/sub, on `ioauth:<namespace>:keys`. Every subscriber hears a
 * change through Redis, the publishing process's included; listeners must be idempotent.
 */
export class RedisKeySetBus extends RedisChannel<KeySetChange> implements KeySetBus {
  /** Subscribes to the namespace's key-set channel and returns the bus. */
  static async create(publisher: RedisClient, namespace: string) {
    return new RedisKeySetBus(publisher, channelName(namespace, 'keys'), {
      name: 'key-set',
      read: readChange,
      deliverLocally: false,
    }).listen();
  }

  override async publish(change: KeySetChange): Promise<void> {
    await super.publish({ kid: change.kid });
  }
}
