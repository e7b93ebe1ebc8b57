import { SpentSessions } from './spent-sessions.js';

describe('SpentSessions', () => {
  it('hands a session out once, again after its socket saved a new state', () => {
    const spent = new SpentSessions(1_000);
    expect(spent.claim('p', 0)).toBe(true);
    expect(spent.has('p', 10)).toBe(true);
    expect(spent.claim('p', 10)).toBe(false);
    spent.release('p');
    expect(spent.claim('p', 20)).toBe(true);
  });

  it('forgets a session once the adapter has expired it, so that memory stays bounded', () => {
    const spent = new SpentSessions(1_000);
    for (let pid = 0; pid < 100; pid += 1) spent.claim(`p${pid}`, pid);
    expect(spent.has('p0', 999)).toBe(true);
    expect(spent.has('p0', 1_000)).toBe(false);
    spent.claim('late', 1_050);
    expect(spent.size).toBe(50);
  });
});
