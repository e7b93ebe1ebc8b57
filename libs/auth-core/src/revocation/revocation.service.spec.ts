import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import type { AuthEvent } from '../events/auth-event.js';
import { AuthEvents } from '../events/auth-events.js';
import { FrozenClock, NOW } from '../testing/auth-core.setup.js';
import { InProcessRevocationBus, type Revocation } from './revocation.js';
import type { RevocationLog } from './revocation-log.js';
import { RevocationList } from './revocation-list.js';
import { RevocationService } from './revocation.service.js';

const config = { accessTokenTtl: 900, clockTolerance: 5 } as AuthCoreSettings;

class FakeLog implements RevocationLog {
  readonly recorded: Array<{ revocation: Revocation; keepUntil: Date }> = [];
  failing = false;

  async record(revocation: Revocation, keepUntil: Date): Promise<string[]> {
    if (this.failing) throw new Error('database down');
    this.recorded.push({ revocation, keepUntil });
    return ['s1', 's2'];
  }

  async readSince() {
    return { revocations: this.recorded.map((entry) => entry.revocation), position: new Date() };
  }
}

describe('RevocationService', () => {
  const setup = () => {
    const clock = new FrozenClock();
    const bus = new InProcessRevocationBus();
    const list = new RevocationList(bus, clock, 905_000);
    const log = new FakeLog();
    const published: Revocation[] = [];
    bus.subscribe((revocation) => published.push(revocation));
    const events = new AuthEvents();
    const emitted: AuthEvent[] = [];
    events.subscribe((event) => void emitted.push(event));
    const service = new RevocationService(list, bus, config, clock, log, events);
    return { bus, list, log, published, emitted, service };
  };

  it('tells the application of each revocation once it holds, with its reason', async () => {
    const { emitted, log, service } = setup();
    await service.revokeSession('s1', 'alice', 'logout');
    await service.revokeUser('bob', 'user_disabled');
    expect(emitted).toEqual([
      { type: 'session.revoked', sub: 'alice', sid: 's1', reason: 'logout' },
      { type: 'user.revoked', sub: 'bob', reason: 'user_disabled', sessions: 2 },
    ]);
    log.failing = true;
    await expect(service.revokeUser('carol', 'admin_kick')).rejects.toThrow('database down');
    expect(emitted).toHaveLength(2);
  });

  it('records a revocation, kept for one token lifetime, before it announces it', async () => {
    const { log, list, published, service } = setup();
    expect(await service.revokeUser('bob', 'admin_kick')).toBe(2);
    const revocation = { kind: 'user', sub: 'bob', reason: 'admin_kick', at: NOW * 1000 };
    expect(log.recorded).toEqual([{ revocation, keepUntil: new Date((NOW + 905) * 1000) }]);
    expect(published).toEqual([{ ...revocation, sids: ['s1', 's2'] }]);
    expect(list.isRevoked({ sub: 'bob', sid: 's1', iat: NOW })).toBe(true);
    expect(list.isRevoked({ sub: 'bob', sid: 'later', iat: NOW - 1 })).toBe(true);
  });

  it("lets a token of the revocation's second through when the store says its session was not ended", async () => {
    const { list, service } = setup();
    await service.revokeUser('bob', 'password_changed');
    expect(list.isRevoked({ sub: 'bob', sid: 's2', iat: NOW })).toBe(true);
    expect(list.isRevoked({ sub: 'bob', sid: 'a-login-just-after', iat: NOW })).toBe(false);
  });

  it('revokes nothing when the store cannot record it', async () => {
    const { log, list, published, service } = setup();
    log.failing = true;
    await expect(service.revokeSession('s1', 'alice', 'logout')).rejects.toThrow('database down');
    expect(published).toEqual([]);
    expect(list.isRevoked({ sid: 's1', sub: 'alice' })).toBe(false);
  });

  it('still revokes, here at once, when the bus cannot announce it: the others catch up from the store', async () => {
    const { bus, log, list, service } = setup();
    bus.publish = () => Promise.reject(new Error('redis down'));
    await expect(service.revokeSession('s1', 'alice', 'logout')).resolves.toBe(2);
    expect(log.recorded).toHaveLength(1);
    expect(list.isRevoked({ sid: 's1', sub: 'alice' })).toBe(true);
  });

  it('revokes in memory and on the bus alone without a store', async () => {
    const clock = new FrozenClock();
    const bus = new InProcessRevocationBus();
    const list = new RevocationList(bus, clock, 905_000);
    const service = new RevocationService(list, bus, config, clock, null, new AuthEvents());
    expect(await service.revokeSession('s1', 'alice', 'logout')).toBe(0);
    expect(list.isRevoked({ sid: 's1', sub: 'alice' })).toBe(true);
  });
});
