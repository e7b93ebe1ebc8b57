/** Injection token of the connected Redis command client (`RedisClient`). */
export const IOAUTH_REDIS = 'IOAUTH:REDIS';

/** Injection token of the validated `IoauthRedisSettings`, private to this library. */
export const IOAUTH_REDIS_SETTINGS = 'IOAUTH:REDIS_SETTINGS';
