export { createTestDatabase, postgresAvailable, TEST_POSTGRES_URL } from './postgres.js';
