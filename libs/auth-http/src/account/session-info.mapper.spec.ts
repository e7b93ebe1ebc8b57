import { toSessionInfo } from './session-info.mapper.js';

const session = {
  sid: 's-1',
  sub: 'alice',
  createdAt: new Date('2026-01-01T10:00:00.000Z'),
  lastUsedAt: new Date('2026-01-02T11:30:00.000Z'),
  expiresAt: new Date('2026-01-16T11:30:00.000Z'),
  absoluteExpiresAt: new Date('2026-01-31T10:00:00.000Z'),
};

describe('toSessionInfo', () => {
  it("gives the contract's fields, times in RFC 3339, the absolute end as expires_at", () => {
    expect(toSessionInfo({ ...session, userAgent: 'Firefox', ip: '203.0.113.7' }, 's-1')).toEqual({
      sid: 's-1',
      current: true,
      created_at: '2026-01-01T10:00:00.000Z',
      last_used_at: '2026-01-02T11:30:00.000Z',
      expires_at: '2026-01-31T10:00:00.000Z',
      user_agent: 'Firefox',
      ip: '203.0.113.7',
    });
  });

  it('says null for a device the login did not tell, and current only for the caller’s own session', () => {
    expect(toSessionInfo(session, 's-2')).toMatchObject({ current: false, user_agent: null, ip: null });
    expect(toSessionInfo(session).current).toBe(false);
  });
});
