import { createClient } from 'redis';

import { serviceAvailable } from './service-availability.js';

/** The Redis server tests use: `IOAUTH_TEST_REDIS_URL`, or the local one of the development machines. */
export const TEST_REDIS_URL = process.env['IOAUTH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers (required under `CI=true`; otherwise its cases are skipped, saying why). */
export function redisAvailable(): Promise<boolean> {
  return serviceAvailable('Redis', new URL(TEST_REDIS_URL).host, async () => {
    const client = createClient({
      url: TEST_REDIS_URL,
      socket: { connectTimeout: 3_000, reconnectStrategy: false },
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
    } finally {
      if (client.isOpen) await client.close();
    }
  });
}
