import { FrozenClock, NOW } from '../testing/auth-core.setup.js';
import { InProcessRevocationBus, type Revocation } from './revocation.js';
import type { RevocationLog, RevocationPage } from './revocation-log.js';
import { RevocationList } from './revocation-list.js';
import { RevocationSync } from './revocation-sync.js';

// A bus that can report a gap, as the Redis bus does after its subscriber reconnects.
class GappyBus extends InProcessRevocationBus {
  private readonly gaps = new Set<() => void>();
  onGap(listener: () => void) {
    this.gaps.add(listener);
    return () => this.gaps.delete(listener);
  }
  gap() {
    for (const listener of this.gaps) listener();
  }
}

class FakeLog implements RevocationLog {
  readonly stored: Revocation[] = [];
  readonly reads: Array<Date | undefined> = [];
  failing = false;
  private tick = 0;

  async record(revocation: Revocation): Promise<string[]> {
    this.stored.push(revocation);
    return [];
  }

  async readSince(since: Date | undefined): Promise<RevocationPage> {
    this.reads.push(since);
    if (this.failing) throw new Error('database down');
    this.tick += 1;
    return { revocations: [...this.stored], position: new Date(this.tick) };
  }
}

const kick = (sub: string): Revocation => ({ kind: 'user', sub, reason: 'admin_kick', at: NOW * 1000 });

describe('RevocationSync', () => {
  const setup = () => {
    const bus = new GappyBus();
    const list = new RevocationList(bus, new FrozenClock(), 905_000);
    const log = new FakeLog();
    const sync = new RevocationSync(list, bus, log);
    const closed: string[] = [];
    list.subscribe((revocation) => closed.push(revocation.sub));
    return { bus, list, log, sync, closed };
  };

  it('seeds the list from the store before the app serves anything', async () => {
    const { log, list, sync } = setup();
    log.stored.push(kick('bob'));
    await sync.onModuleInit();
    sync.onModuleDestroy();
    expect(list.isRevoked({ sub: 'bob', iat: NOW - 1 })).toBe(true);
    expect(log.reads).toEqual([undefined]);
  });

  it('applies a revocation whose message was lost as soon as the bus reports a gap, reading on from its position', async () => {
    const { bus, list, log, sync } = setup();
    await sync.onModuleInit();
    log.stored.push(kick('carol'));
    const applied = new Promise<Revocation>((resolve) => list.subscribe(resolve));
    bus.gap();
    expect((await applied).sub).toBe('carol');
    sync.onModuleDestroy();
    expect(log.reads).toEqual([undefined, new Date(1)]);
  });

  it('reads once more when asked during a read, so nothing recorded before the ask is missed', async () => {
    const { log, sync } = setup();
    await sync.onModuleInit();
    const first = sync.catchUp();
    const second = sync.catchUp();
    const third = sync.catchUp();
    await Promise.all([first, second, third]);
    sync.onModuleDestroy();
    expect(log.reads).toHaveLength(3);
  });

  it('keeps going when the store fails, and catches up once it answers', async () => {
    const { log, sync, closed } = setup();
    await sync.onModuleInit();
    log.failing = true;
    log.stored.push(kick('dave'));
    await expect(sync.catchUp()).resolves.toBeUndefined();
    log.failing = false;
    await sync.catchUp();
    sync.onModuleDestroy();
    expect(closed).toEqual(['dave']);
  });

  it('stops the boot when the store cannot be read at start-up', async () => {
    const { log, sync } = setup();
    log.failing = true;
    await expect(sync.onModuleInit()).rejects.toThrow('database down');
  });

  it('does nothing without a store', async () => {
    const bus = new GappyBus();
    const sync = new RevocationSync(new RevocationList(bus, new FrozenClock(), 905_000), bus, null);
    await sync.onModuleInit();
    await expect(sync.catchUp()).resolves.toBeUndefined();
    sync.onModuleDestroy();
  });
});
