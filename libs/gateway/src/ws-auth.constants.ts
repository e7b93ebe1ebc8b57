import type { createAdapter } from '@socket.io/redis-adapter';

/** The socket.io Redis adapter factory when `REDIS_URL` is set, else null. */
export const WS_REDIS_ADAPTER = 'IOAUTH:WS_REDIS_ADAPTER';
export type RedisAdapterFactory = ReturnType<typeof createAdapter>;
