import { Logger } from '@nestjs/common';
import { createClient } from 'redis';

const createRedis = (url: string) => createClient({ url, socket: { connectTimeout: 5_000 } });

/** A connected node-redis client. */
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
