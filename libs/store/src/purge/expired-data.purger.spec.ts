import type { SqlRevocationLog } from '../revocations/sql-revocation-log.js';
import type { SessionRepository } from '../sessions/session.js';
import { ExpiredDataPurger } from './expired-data.purger.js';

const NOW = 1_800_000_000_000;

// Tables that hand out at most `limit` expired rows per delete, as the SQL does.
function fakeStore(sessionRows: number, revocationRows: number) {
  const calls: Array<{ table: string; before: Date; limit: number }> = [];
  const take = (table: string, rows: { left: number }) => async (before: Date, limit: number) => {
    calls.push({ table, before, limit });
    const deleted = Math.min(rows.left, limit);
    rows.left -= deleted;
    return deleted;
  };
  const sessions = { purgeExpired: take('sessions', { left: sessionRows }) } as unknown as SessionRepository;
  const revocations = {
    purgeExpired: take('revocations', { left: revocationRows }),
  } as unknown as SqlRevocationLog;
  return { calls, sessions, revocations };
}

describe('ExpiredDataPurger', () => {
  it('deletes everything expired as of now, batch after batch, sessions first', async () => {
    const { calls, sessions, revocations } = fakeStore(1200, 30);
    const purger = new ExpiredDataPurger(sessions, revocations, { now: () => NOW });
    expect(await purger.purge()).toBe(1230);
    expect(calls.map((call) => `${call.table}:${call.limit}`)).toEqual([
      'sessions:500',
      'sessions:500',
      'sessions:500',
      'revocations:500',
    ]);
    expect(calls.every((call) => call.before.getTime() === NOW)).toBe(true);
  });

  it('stops between batches once the app shuts down', async () => {
    const { calls, sessions, revocations } = fakeStore(5000, 5000);
    const purger = new ExpiredDataPurger(sessions, revocations, { now: () => NOW });
    const purging = purger.purge();
    purger.onApplicationShutdown();
    await purging;
    expect(calls).toHaveLength(1);
  });

  it('lets a failure reach the caller, which logs it and retries at the next interval', async () => {
    const { sessions, revocations } = fakeStore(0, 0);
    sessions.purgeExpired = () => Promise.reject(new Error('database down'));
    const purger = new ExpiredDataPurger(sessions, revocations, { now: () => NOW });
    await expect(purger.purge()).rejects.toThrow('database down');
  });
});
