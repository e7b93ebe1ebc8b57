import { FrozenClock } from '../testing/auth-core.setup.js';
import { MemoryRateLimitStore } from './rate-limit.store.js';

describe('MemoryRateLimitStore', () => {
  it('counts in a fixed window, then starts over', async () => {
    const clock = new FrozenClock();
    const store = new MemoryRateLimitStore(clock);
    expect(await store.increment('k', 60_000)).toEqual({ count: 1, resetAt: clock.now() + 60_000 });
    expect((await store.increment('k', 60_000)).count).toBe(2);
    expect((await store.peek('k'))?.count).toBe(2);
    clock.advance(60);
    expect(await store.peek('k')).toBeUndefined();
    expect((await store.increment('k', 60_000)).count).toBe(1);
  });

  it('forgets a counter on reset, and keeps keys apart', async () => {
    const store = new MemoryRateLimitStore(new FrozenClock());
    await store.increment('a', 1000);
    await store.increment('b', 1000);
    await store.reset('a');
    expect(await store.peek('a')).toBeUndefined();
    expect((await store.peek('b'))?.count).toBe(1);
  });
});
