import { Logger } from '@nestjs/common';
import { createClient } from 'redis';

/** How long a command may wait for its reply from a connected server (node-redis's default is 5 s). */
const COMMAND_TIMEOUT_MS = 2_000;

const createRedis = (url: string) =>
  createClient({
    url,
    socket: { connectTimeout: 5_000 },
    // node-redis keeps the commands issued while it reconnects in an offline queue and sends them once Redis is
    // back, so a login would wait on an outage for as long as it lasts. Failing at once lets every caller answer
    // 503 `service_unavailable` (rate limits and revocations fail closed) while the client keeps reconnecting.
    disableOfflineQueue: true,
    // And a server that is connected but stops answering fails each command within a bounded time.
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
  });

/**
 * A connected node-redis client. While the connection is down its commands fail at once, and a command with no
 * reply fails after 2 s; `multi()` is covered by neither in node-redis 6 (it queues until a reconnect), so use
 * single commands or scripts on paths that must answer during an outage.
 */
export type RedisClient = ReturnType<typeof createRedis>;

const logger = new Logger('Redis');

/**
 * Connects to `REDIS_URL` and checks the connection once, so that a wrong URL fails at start-up. Later connection
 * errors are logged by kind (never with the URL, which may hold a password) while the client reconnects.
 */
export async function connectRedis(url: string): Promise<RedisClient> {
  const client = createRedis(url);
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
