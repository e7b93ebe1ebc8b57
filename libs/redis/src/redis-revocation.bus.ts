import type { Revocation, RevocationBus } from '@ioauth/auth-core';

import { channelName, RedisChannel } from './redis-channel.js';
import type { RedisClient } from './redis-connection.js';

const isTextList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function readRevocation(value: unknown): Revocation | undefined {
  const candidate = value as Partial<Record<string, unknown>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate['sub'] !== 'string' ||
    typeof candidate['reason'] !== 'string' ||
    typeof candidate['at'] !== 'number'
  )
    return undefined;
  const valid =
    (candidate['kind'] === 'session' && typeof candidate['sid'] === 'string') ||
    (candidate['kind'] === 'user' &&
      (candidate['exceptSid'] === undefined || typeof candidate['exceptSid'] === 'string') &&
      (candidate['sids'] === undefined || isTextList(candidate['sids']))) ||
    (candidate['kind'] === 'grants' && isTextList(candidate['scopes']) && isTextList(candidate['roles']));
  return valid ? (candidate as Revocation) : undefined;
}

/**
 * Revocations across processes over Redis pub/sub, on `ioauth:<namespace>:revocations`. A revocation reaches this
 * process's listeners at once, then every other process through Redis; listeners must be idempotent, as they may
 * hear it twice.
 */
export class RedisRevocationBus extends RedisChannel<Revocation> implements RevocationBus {
  /** Subscribes to the namespace's revocation channel and returns the bus. */
  static async create(publisher: RedisClient, namespace: string) {
    return new RedisRevocationBus(publisher, channelName(namespace, 'revocations'), {
      name: 'revocation',
      read: readRevocation,
      deliverLocally: true,
    }).listen();
  }
}
