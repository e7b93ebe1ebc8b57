export { IOAUTH_REDIS } from './redis.constants.js';
export { IoauthRedisModule } from './redis.module.js';
export type { IoauthRedisOptions } from './redis.options.js';
export { parseRedisOptions } from './redis.options.schema.js';
export { RedisBackends, type SocketIoAdapterFactory } from './redis-backends.js';
export { closeRedis, connectRedis, replyWithin, type RedisClient } from './redis-connection.js';
export { RedisKeySetBus } from './redis-key-set.bus.js';
export { RedisRateLimitStore } from './redis-rate-limit.store.js';
export { RedisRevocationBus } from './redis-revocation.bus.js';
