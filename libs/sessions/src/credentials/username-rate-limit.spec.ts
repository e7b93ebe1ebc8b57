import { AuthEvents, MemoryRateLimitStore, RateLimitedError } from '@ioauth/auth-core';

import { parseSessionsOptions } from '../sessions.options.schema.js';
import { UsernameRateLimit } from './username-rate-limit.js';

const NOW = 1_800_000_000_000;

function setup(loginUserLimit = 3) {
  const clock = { time: NOW, now: () => clock.time };
  const limit = new UsernameRateLimit(
    new MemoryRateLimitStore(clock),
    parseSessionsOptions({ loginUserLimit }),
    clock,
    new AuthEvents(),
  );
  return { clock, limit };
}

// What a slow password check does between the reservation and the answer: let every other attempt run meanwhile.
const hashing = () => new Promise((resolve) => setImmediate(resolve));

describe('UsernameRateLimit.reserve', () => {
  it('lets at most the limit through of attempts made at once, however long each takes afterwards', async () => {
    const { limit } = setup(3);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        limit.reserve('bob').then(
          async () => (await hashing(), 'checked'),
          (error: unknown) => error,
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'checked')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome instanceof RateLimitedError)).toHaveLength(7);
  });

  it('refuses with the seconds left in the 15-minute window, then lets the username try again', async () => {
    const { clock, limit } = setup(1);
    await limit.reserve('bob');
    clock.time += 60_000;
    await expect(limit.reserve('bob')).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 840,
    });
    clock.time += 840_000;
    await expect(limit.reserve('bob')).resolves.toBeUndefined();
  });

  it('starts over after a success, and counts each username on its own', async () => {
    const { limit } = setup(2);
    await limit.reserve('bob');
    await limit.reserve('bob');
    await limit.recordSuccess('bob');
    await limit.reserve('bob');
    await limit.reserve('bob');
    await expect(limit.reserve('bob')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limit.reserve('alice')).resolves.toBeUndefined();
  });
});
