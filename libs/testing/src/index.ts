export {
  connectSocket,
  createTestDatabase,
  failedStart,
  postgresAvailable,
  redisAvailable,
  refusedConnect,
  runCli,
  startRedisServer,
  startServer,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  testSocketOptions,
  waitFor,
  type RedisProcess,
  type ServerProcess,
} from '@ioauth/test-support';
export { startTestApp, type TestApp } from './test-app.js';
export { TEST_SECRET, tokenMinter, type MintOptions } from './tokens.js';
