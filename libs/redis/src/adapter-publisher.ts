import { Logger } from '@nestjs/common';

import { replyWithin, type RedisClient } from './redis-connection.js';

const logger = new Logger('WsRedisAdapter');

/**
 * Makes the publishing connection of `@socket.io/redis-adapter` safe in an outage. The adapter sends every
 * broadcast and cross-node request with `publish` and drops the promise; with Redis down that promise rejects at
 * once (the client has no offline queue), and an unhandled rejection ends a Node process: a chat message sent
 * during the outage took the whole gateway down. A failed publish resolves instead, after a log line when
 * broadcasts stop reaching the other nodes and another when they reach them again: the sockets of this node keep
 * being served, and cross-node requests such as `fetchSockets` time out as the adapter documents.
 *
 * The client must be the adapter's own connection: its `publish` is replaced.
 */
export function publishingThroughOutages(client: RedisClient): RedisClient {
  const publish = client.publish.bind(client);
  let failing = false;
  const guarded = async (channel: string, message: string | Buffer): Promise<number> => {
    try {
      const receivers = await replyWithin(publish(channel, message));
      if (failing) logger.log('socket.io broadcasts reach the other nodes again');
      failing = false;
      return receivers;
    } catch (error) {
      if (!failing) {
        const kind = error instanceof Error ? error.name : 'error';
        logger.error(`socket.io broadcasts are not reaching the other nodes: Redis publish failed (${kind})`);
      }
      failing = true;
      return 0;
    }
  };
  // An own property over the prototype's command, which the client's types declare read-only.
  Object.defineProperty(client, 'publish', { value: guarded });
  return client;
}
