export { createTestDatabase, postgresAvailable, TEST_POSTGRES_URL } from './postgres.js';
export { redisAvailable, TEST_REDIS_URL } from './redis.js';
