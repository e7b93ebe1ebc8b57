import { FrozenClock, NOW } from '../testing/auth-core.setup.js';
import { InProcessRevocationBus, type Revocation } from './revocation.js';
import { RevocationList } from './revocation-list.js';

describe('RevocationList', () => {
  const setup = () => {
    const clock = new FrozenClock();
    const bus = new InProcessRevocationBus();
    return { clock, bus, list: new RevocationList(bus, clock, 905_000) };
  };

  it('refuses a revoked session as soon as the bus carries it', async () => {
    const { bus, list } = setup();
    expect(list.isRevoked({ sid: 's1', sub: 'alice', iat: NOW })).toBe(false);
    await bus.publish({ kind: 'session', sid: 's1', sub: 'alice', reason: 'logout', at: NOW * 1000 });
    expect(list.isRevoked({ sid: 's1', sub: 'alice', iat: NOW })).toBe(true);
    expect(list.isRevoked({ sid: 's2', sub: 'alice', iat: NOW })).toBe(false);
  });

  it('refuses the tokens a user held when revoked, not those issued later', async () => {
    const { bus, clock, list } = setup();
    await bus.publish({ kind: 'user', sub: 'bob', reason: 'admin', at: NOW * 1000 });
    expect(list.isRevoked({ sid: 'a', sub: 'bob', iat: NOW - 10 })).toBe(true);
    expect(list.isRevoked({ sid: 'a', sub: 'bob', iat: NOW })).toBe(true);
    clock.advance(1);
    expect(list.isRevoked({ sid: 'b', sub: 'bob', iat: NOW + 1 })).toBe(false);
  });

  it('forgets a revocation once no token it refuses can still be valid', async () => {
    const { bus, clock, list } = setup();
    await bus.publish({ kind: 'session', sid: 's1', sub: 'alice', reason: 'logout', at: NOW * 1000 });
    clock.advance(904);
    expect(list.isRevoked({ sid: 's1', sub: 'alice' })).toBe(true);
    clock.advance(1);
    expect(list.isRevoked({ sid: 's1', sub: 'alice' })).toBe(false);
  });

  it('tells its listeners of each revocation once, and of a user revoked again later', async () => {
    const { bus, list } = setup();
    const heard: string[] = [];
    list.subscribe((revocation) => heard.push(`${revocation.kind}:${revocation.at}`));
    const session = { kind: 'session', sid: 's1', sub: 'alice', reason: 'logout', at: NOW * 1000 } as const;
    await bus.publish(session);
    list.add(session);
    const user = { kind: 'user', sub: 'bob', reason: 'admin', at: NOW * 1000 } as const;
    list.add(user);
    list.add({ ...user, at: NOW * 1000 - 5000 });
    list.add({ ...user, at: NOW * 1000 + 1000 });
    expect(heard).toEqual([`session:${NOW * 1000}`, `user:${NOW * 1000}`, `user:${NOW * 1000 + 1000}`]);
  });

  it('ignores a revocation read from the store once no token it refuses can be valid', () => {
    const { list } = setup();
    const heard: unknown[] = [];
    list.subscribe((revocation) => heard.push(revocation));
    list.add({ kind: 'user', sub: 'bob', reason: 'admin', at: (NOW - 905) * 1000 });
    expect(heard).toEqual([]);
    expect(list.isRevoked({ sub: 'bob', iat: NOW - 1000 })).toBe(false);
  });

  it("refuses every session of a user but the one a partial revocation spares, and the spared one's tokens pass", async () => {
    const { bus, list } = setup();
    await bus.publish({
      kind: 'user',
      sub: 'bob',
      reason: 'password_changed',
      at: NOW * 1000,
      exceptSid: 'keep',
    });
    expect(list.isRevoked({ sid: 'keep', sub: 'bob', iat: NOW })).toBe(false);
    expect(list.isRevoked({ sid: 'other', sub: 'bob', iat: NOW })).toBe(true);
    await bus.publish({ kind: 'user', sub: 'bob', reason: 'admin_kick', at: NOW * 1000 });
    expect(list.isRevoked({ sid: 'keep', sub: 'bob', iat: NOW })).toBe(true);
  });

  it("covers every token of the revocation's second, unless it names the sessions it ended", async () => {
    const { bus, list } = setup();
    const at = NOW * 1000 + 400;
    await bus.publish({ kind: 'user', sub: 'bob', reason: 'user_disabled', at });
    expect(list.isRevoked({ sid: 'new', sub: 'bob', iat: NOW })).toBe(true);
    await bus.publish({ kind: 'user', sub: 'carol', reason: 'user_disabled', at, sids: ['old'] });
    expect(list.isRevoked({ sid: 'old', sub: 'carol', iat: NOW })).toBe(true);
    expect(list.isRevoked({ sid: 'new', sub: 'carol', iat: NOW })).toBe(false);
    expect(list.isRevoked({ sid: 'new', sub: 'carol', iat: NOW - 1 })).toBe(true);
    expect(list.isRevoked({ sub: 'carol', iat: NOW })).toBe(true);
    await bus.publish({ kind: 'user', sub: 'carol', reason: 'admin_kick', at: at + 100, sids: ['other'] });
    expect(list.isRevoked({ sid: 'old', sub: 'carol', iat: NOW })).toBe(true);
    expect(list.isRevoked({ sid: 'other', sub: 'carol', iat: NOW })).toBe(true);
    expect(list.isRevoked({ sid: 'new', sub: 'carol', iat: NOW })).toBe(false);
  });

  it('keeps a full revocation when a later partial one spares a session', async () => {
    const { bus, list } = setup();
    await bus.publish({ kind: 'user', sub: 'bob', reason: 'admin_kick', at: NOW * 1000 });
    await bus.publish({
      kind: 'user',
      sub: 'bob',
      reason: 'session_ended',
      at: NOW * 1000 + 500,
      exceptSid: 'keep',
    });
    expect(list.isRevoked({ sid: 'keep', sub: 'bob', iat: NOW - 1 })).toBe(true);
  });

  it('narrows the grants of tokens issued before a cut to those still held, and leaves later tokens alone', async () => {
    const { bus, clock, list } = setup();
    const token = { sub: 'alice', iat: NOW, scope: 'chat:read chat:write', roles: ['admin', 'reader'] };
    expect(list.narrowedGrants(token)).toBeUndefined();
    await bus.publish({
      kind: 'grants',
      sub: 'alice',
      reason: 'grants_changed',
      at: NOW * 1000,
      scopes: ['chat:read', 'chat:admin'],
      roles: ['reader'],
    });
    expect(list.narrowedGrants(token)).toEqual({ scope: 'chat:read', roles: ['reader'] });
    expect(list.isRevoked(token)).toBe(false);
    expect(list.narrowedGrants({ ...token, scope: 'chat:read', roles: ['reader'] })).toBeUndefined();
    clock.advance(1);
    expect(list.narrowedGrants({ ...token, iat: NOW + 1 })).toBeUndefined();
    clock.advance(904);
    expect(list.narrowedGrants(token)).toBeUndefined();
  });

  it('applies two grant cuts heard in either order, so that both bite', async () => {
    const { list } = setup();
    const token = { sub: 'alice', iat: NOW, scope: 'a b c', roles: [] };
    const cut = (at: number, scopes: string[]): Revocation => ({
      kind: 'grants',
      sub: 'alice',
      reason: 'grants_changed',
      at,
      scopes,
      roles: [],
    });
    list.add(cut(NOW * 1000 + 2, ['a', 'c']));
    list.add(cut(NOW * 1000 + 1, ['a', 'b']));
    expect(list.narrowedGrants(token)).toEqual({ scope: 'a', roles: [] });
  });

  it('tells its listeners of a grants change once, and of a later one again', async () => {
    const { bus, list } = setup();
    const heard: number[] = [];
    list.subscribe((revocation) => heard.push(revocation.at));
    const change: Revocation = {
      kind: 'grants',
      sub: 'alice',
      reason: 'grants_changed',
      at: NOW * 1000,
      scopes: [],
      roles: [],
    };
    await bus.publish(change);
    list.add(change);
    list.add({ ...change, at: NOW * 1000 + 1 });
    expect(heard).toEqual([NOW * 1000, NOW * 1000 + 1]);
  });

  it('stops listening when closed', async () => {
    const { bus, list } = setup();
    list.close();
    await bus.publish({ kind: 'session', sid: 's1', sub: 'alice', reason: 'logout', at: NOW * 1000 });
    expect(list.isRevoked({ sid: 's1', sub: 'alice' })).toBe(false);
  });
});
