import { Logger } from '@nestjs/common';
import type * as Redis from 'redis';

/** How long a command may wait for its reply from a connected server (node-redis's default is 5 s). */
const COMMAND_TIMEOUT_MS = 2_000;
/** How long closing a connected client may wait for the replies of its commands under way. */
const CLOSE_TIMEOUT_MS = 2_000;

/** How a connection bounds the commands waiting to be written. */
export type RedisQueueBound =
  /** A command not written within 2 s fails: callers answer at once rather than wait on a stalled connection. */
  | 'time'
  /**
   * Commands wait to be written however long it takes, at most 100,000 of them: for messages that must not be
   * lost to a burst, such as the socket.io adapter's broadcasts and cross-node disconnects.
   */
  | 'length';

const QUEUE_MAX_LENGTH = 100_000;

const createRedis = (redis: typeof Redis, url: string, bound: RedisQueueBound) =>
  redis.createClient({
    url,
    socket: { connectTimeout: 5_000 },
    // node-redis keeps the commands issued while it reconnects in an offline queue and sends them once Redis is
    // back, so a login would wait on an outage for as long as it lasts. Failing at once lets every caller answer
    // 503 `service_unavailable` (rate limits and revocations fail closed) while the client keeps reconnecting.
    disableOfflineQueue: true,
    // A command may wait this long to be written; node-redis stops timing it once written, so the wait for its
    // reply is bounded by `replyWithin`. A command that times out before it is written is never sent, so a burst
    // (10,000 cross-node disconnects on a busy process, in bench:scale) can lose some: hence `length`.
    ...(bound === 'time'
      ? { commandOptions: { timeout: COMMAND_TIMEOUT_MS } }
      : { commandsQueueMaxLength: QUEUE_MAX_LENGTH }),
  });

/**
 * A connected node-redis client. While the connection is down its commands fail at once; `multi()` is not covered
 * in node-redis 6 (it queues until a reconnect), so use single commands or scripts on paths that must answer during
 * an outage, and wrap them in `replyWithin` against a server that is connected but no longer answers.
 */
export type RedisClient = ReturnType<typeof createRedis>;

const logger = new Logger('Redis');

/**
 * Connects to `REDIS_URL` and checks the connection once, so that a wrong URL fails at start-up. Later connection
 * errors are logged by kind (never with the URL, which may hold a password) while the client reconnects.
 */
export async function connectRedis(url: string, bound: RedisQueueBound = 'time'): Promise<RedisClient> {
  // Loaded on first use: node-redis costs ~0.4 s of CPU to import, which a process without REDIS_URL never pays.
  const client = createRedis(await import('redis'), url, bound);
  let lastLogged = '';
  client.on('error', (error: unknown) => {
    const kind = error instanceof Error ? error.name : 'error';
    if (kind !== lastLogged) logger.error(`connection problem (${kind}); reconnecting`);
    lastLogged = kind;
  });
  client.on('ready', () => (lastLogged = ''));
  await client.connect();
  await client.ping();
  return client;
}

/** A Redis command that got no reply in time; the command itself may still be answered later, unseen. */
export class RedisReplyTimeoutError extends Error {
  override readonly name = 'RedisReplyTimeoutError';
}

/**
 * The reply of a command, or a `RedisReplyTimeoutError` after `ms`. node-redis times a command only until it is
 * written: against a Redis that still holds the connection but has stopped answering (hung, paused, partitioned), a
 * login or a handshake waiting on its rate-limit counter waited for ever. Requests on such paths fail closed
 * instead (OWASP ASVS V11.1.4: no resource is held for an unbounded time).
 */
export function replyWithin<T>(command: Promise<T>, ms = COMMAND_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      // Node runs overdue timers before it reads sockets: on a loop held past `ms` (a reconnect storm of thousands
      // of handshakes on two cores) a reply that came in time still sits unread. One more turn lets the loop read
      // it; without it, a busy gateway refused handshakes as `unavailable` with Redis answering in a millisecond.
      () => setImmediate(() => reject(new RedisReplyTimeoutError(`no reply from Redis within ${ms} ms`))),
      ms,
    );
  });
  // The command may still fail after the timeout (its connection dropped): that failure has no one left to hear it.
  command.catch(() => undefined);
  return Promise.race([command, late]).finally(() => clearTimeout(timer));
}

/**
 * Closes a client without letting Redis hold up shutdown. node-redis's `close()` waits until every queued command
 * has its reply, and waits for ever when no reply can come: a client caught reconnecting (Redis just back from an
 * outage) kept commands queued with no connection, and `npm start` never exited on SIGTERM. A client that is not
 * ready is destroyed at once (its queued commands fail); a ready one gets two seconds to drain, then is destroyed.
 */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  try {
    await replyWithin(client.close(), CLOSE_TIMEOUT_MS);
  } catch {
    client.destroy();
  }
}
