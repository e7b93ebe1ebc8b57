import { ExpiryWheel } from './expiry-wheel.js';

class ManualClock {
  constructor(public ms = 1_000_000) {}
  now(): number {
    return this.ms;
  }
}

function wheel(resolutionMs = 100) {
  const clock = new ManualClock();
  const fired: string[] = [];
  const expiry = new ExpiryWheel<string>(clock, (item) => fired.push(item), resolutionMs);
  const advance = (ms: number) => {
    clock.ms += ms;
    expiry.tick();
  };
  return { clock, fired, expiry, advance };
}

describe('ExpiryWheel', () => {
  it('fires an item once its due time has passed, never before', () => {
    const { clock, fired, expiry, advance } = wheel();
    expiry.schedule('a', clock.ms + 250);
    advance(249);
    expect(fired).toEqual([]);
    advance(151);
    expect(fired).toEqual(['a']);
    advance(1000);
    expect(fired).toEqual(['a']);
    expiry.clear();
  });

  it('fires late by less than one slot', () => {
    const { clock, fired, expiry, advance } = wheel(100);
    const due = clock.ms + 1_050;
    expiry.schedule('a', due);
    let firedAt = 0;
    while (fired.length === 0) {
      advance(10);
      firedAt = clock.ms;
    }
    expect(firedAt).toBeGreaterThanOrEqual(due);
    expect(firedAt - due).toBeLessThan(200);
    expiry.clear();
  });

  it('moves a rescheduled item instead of firing it twice', () => {
    const { clock, fired, expiry, advance } = wheel();
    expiry.schedule('a', clock.ms + 100);
    expiry.schedule('a', clock.ms + 5_000);
    advance(1_000);
    expect(fired).toEqual([]);
    expect(expiry.size).toBe(1);
    advance(4_200);
    expect(fired).toEqual(['a']);
    expect(expiry.size).toBe(0);
  });

  it('forgets a cancelled item', () => {
    const { clock, fired, expiry, advance } = wheel();
    expiry.schedule('a', clock.ms + 100);
    expiry.schedule('b', clock.ms + 100);
    expiry.cancel('a');
    expiry.cancel('never-scheduled');
    advance(300);
    expect(fired).toEqual(['b']);
  });

  it('fires an item scheduled in the past on the next tick', () => {
    const { clock, fired, expiry, advance } = wheel();
    expiry.schedule('late', clock.ms - 60_000);
    advance(100);
    expect(fired).toEqual(['late']);
  });

  it('catches up on every slot missed while the process was busy, in due order', () => {
    const { clock, fired, expiry, advance } = wheel();
    expiry.schedule('second', clock.ms + 2_000);
    expiry.schedule('first', clock.ms + 500);
    expiry.schedule('third', clock.ms + 9_000);
    advance(10_000);
    expect(fired).toEqual(['first', 'second', 'third']);
  });

  it('lets an item be rescheduled from its own callback', () => {
    const clock = new ManualClock();
    let count = 0;
    const expiry: ExpiryWheel<string> = new ExpiryWheel<string>(clock, (item) => {
      count += 1;
      if (count < 3) expiry.schedule(item, clock.ms + 100);
    });
    expiry.schedule('a', clock.ms + 100);
    for (let step = 0; step < 10; step += 1) {
      clock.ms += 100;
      expiry.tick();
    }
    expect(count).toBe(3);
    expect(expiry.size).toBe(0);
  });

  it('handles 100k items rescheduled at once without a timer each, firing them a turn at a time', async () => {
    const { clock, fired, expiry, advance } = wheel();
    const items = Array.from({ length: 100_000 }, (_, index) => `s${index}`);
    for (const item of items) expiry.schedule(item, clock.ms + 60_000);
    for (const item of items) expiry.schedule(item, clock.ms + 120_000);
    expect(expiry.size).toBe(100_000);
    advance(60_100);
    expect(fired).toHaveLength(0);
    advance(60_100);
    expect(fired).toHaveLength(500);
    let turns = 1;
    while (fired.length < 100_000) {
      await nextTurn();
      turns += 1;
    }
    expect(turns).toBeGreaterThan(100);
    expect(fired).toEqual(items);
    expect(expiry.size).toBe(0);
  });

  it('fires the rest of a slot that holds more than one turn on the turns that follow', async () => {
    const { fired } = dueAtOnce(['a', 'b', 'c', 'd', 'e'], 2);
    expect(fired).toEqual(['a', 'b']);
    await nextTurn();
    expect(fired).toEqual(['a', 'b', 'c', 'd']);
    await nextTurn();
    expect(fired).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('forgets an item cancelled or rescheduled while it waits for its turn', async () => {
    const { expiry, clock, fired } = dueAtOnce(['a', 'b', 'c'], 1);
    expiry.cancel('b');
    expiry.schedule('c', clock.ms + 1_000);
    await nextTurn();
    await nextTurn();
    expect(fired).toEqual(['a']);
    expect(expiry.size).toBe(1);
    clock.ms += 1_100;
    expiry.tick();
    expect(fired).toEqual(['a', 'c']);
  });

  it('drops the items waiting for their turn on clear', async () => {
    const { expiry, fired } = dueAtOnce(['a', 'b', 'c'], 1);
    expiry.clear();
    await nextTurn();
    expect(fired).toEqual(['a']);
    expect(expiry.size).toBe(0);
  });
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A wheel firing `perTurn` items a turn, whose `items` all came due in one slot and got their first turn. */
function dueAtOnce(items: readonly string[], perTurn: number) {
  const clock = new ManualClock();
  const fired: string[] = [];
  const expiry = new ExpiryWheel<string>(clock, (item) => fired.push(item), 100, perTurn);
  for (const item of items) expiry.schedule(item, clock.ms + 100);
  clock.ms += 200;
  expiry.tick();
  return { clock, fired, expiry };
}
