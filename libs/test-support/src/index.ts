export { createTestDatabase, postgresAvailable, TEST_POSTGRES_URL } from './postgres.js';
export { redisAvailable, TEST_REDIS_URL } from './redis.js';
export { startRedisServer, type RedisProcess } from './redis-process.js';
export { failedStart, runCli, startServer, untilReady, type ServerProcess } from './server-process.js';
export { connectSocket, refusedConnect, testSocketOptions, waitFor } from '@ioauth/client/testing';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
