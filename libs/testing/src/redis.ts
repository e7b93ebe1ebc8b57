import { createClient } from 'redis';

/** The Redis server tests use: `IOAUTH_TEST_REDIS_URL`, or the local one of the development machines. */
export const TEST_REDIS_URL = process.env['IOAUTH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis answers. Under `CI=true` an unreachable server is an error, so that CI can never pass by skipping;
 * elsewhere the caller skips its Redis cases, and the reason is printed.
 */
export async function redisAvailable(): Promise<boolean> {
  const client = createClient({
    url: TEST_REDIS_URL,
    socket: { connectTimeout: 3_000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  let problem: string | undefined;
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  } finally {
    if (client.isOpen) await client.close();
  }
  if (problem === undefined) return true;
  const where = new URL(TEST_REDIS_URL).host;
  if (process.env['CI'] === 'true') {
    throw new Error(`Redis is required under CI=true and did not answer at ${where}: ${problem}`);
  }
  console.warn(`skipping the Redis cases: no server at ${where} (${problem})`);
  return false;
}
